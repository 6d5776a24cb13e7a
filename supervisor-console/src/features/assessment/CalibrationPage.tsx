import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Answers } from '@passerelle/shared/scoring';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { useFormat } from '@kit/format.ts';
import { useApiQuery } from '@kit/useApiQuery.ts';
import { useSession } from '@kit/session.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { assessmentApi, scoreText } from './api.ts';
import { ScorecardPanel } from './ScorecardPanel.tsx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Calibration sessions: several trainers score the same call blind. */
export function CalibrationListPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { api } = useSession();
  const navigate = useNavigate();
  const list = useApiQuery('calibrations', (c) => assessmentApi(c).calibrations());
  const [title, setTitle] = useState('');
  const [recordingId, setRecordingId] = useState('');
  const [error, setError] = useState<unknown>(null);

  async function create(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const s = await assessmentApi(api).createCalibration({ title: title.trim(), recordingId: recordingId.trim() });
      navigate(`/calibrage/${s.id}`);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <div className="page">
      <PageHeader title={t('assessment.calibration.title')} description={t('assessment.calibration.description')} />
      <form className="toolbar" onSubmit={create}>
        <div className="field">
          <label htmlFor="cal-title">{t('assessment.calibration.sessionTitle')}</label>
          <input id="cal-title" value={title} onChange={(e) => setTitle(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="cal-rec">{t('assessment.calibration.recording')}</label>
          <input id="cal-rec" value={recordingId} onChange={(e) => setRecordingId(e.target.value)} placeholder="00000000-0000-…" />
        </div>
        <div className="field">
          <button type="submit" className="btn btn-primary" disabled={!title.trim() || !UUID.test(recordingId.trim())}>
            {t('assessment.calibration.create')}
          </button>
        </div>
      </form>
      <ErrorAlert error={error ?? list.error} />
      <div className="card">
        <DataTable
          caption={t('assessment.calibration.title')}
          columns={[t('assessment.calibration.sessionTitle'), t('assessment.col.date'), { label: t('assessment.calibration.submitted'), className: 'num' }, t('assessment.col.status')]}
          items={list.data}
          empty={t('assessment.calibration.empty')}
          row={(s) => (
            <tr key={s.id}>
              <td>
                <Link to={`/calibrage/${s.id}`}>{s.title}</Link>
              </td>
              <td>{fmt.dateTime(s.createdAt)}</td>
              <td className="num">{s.submitted}</td>
              <td>
                <span className={`badge ${s.status === 'open' ? 'badge-info' : 'badge-success'}`}>{t(`assessment.calibration.status.${s.status}`)}</span>
              </td>
            </tr>
          )}
        />
      </div>
    </div>
  );
}

/** One session: blind until the caller submits, then spread per criterion, agreement, reference. */
export function CalibrationPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { api } = useSession();
  const navigate = useNavigate();
  const [generation, setGeneration] = useState(0);
  const data = useApiQuery(`calibration:${id}:${generation}`, async (c) => {
    const a = assessmentApi(c);
    const session = await a.calibration(id);
    return { session, grid: (await a.scorecard(session.scorecardId)).grid };
  });
  const [reference, setReference] = useState<Answers>({});
  const [error, setError] = useState<unknown>(null);
  if (!data.data) return data.error ? <ErrorAlert error={data.error} /> : <p className="page-loading">{t('assessment.loading')}</p>;
  const { session: s, grid } = data.data;
  const pct = (v: number | null) => (v === null ? '—' : `${new Intl.NumberFormat(i18n.language.startsWith('en') ? 'en-GB' : 'fr-FR', { maximumFractionDigits: 1 }).format(v * 100)} %`);
  const criterion = (cid: string) => grid.competencies.flatMap((c) => c.criteria).find((k) => k.id === cid)?.label ?? cid;

  async function score() {
    setError(null);
    try {
      const { evaluationId } = await assessmentApi(api).joinCalibration(id);
      navigate(`/evaluations/${evaluationId}`);
    } catch (err) {
      setError(err);
    }
  }
  async function close() {
    setError(null);
    try {
      await assessmentApi(api).closeCalibration(id, reference);
      setGeneration((g) => g + 1);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <div className="page">
      <PageHeader
        title={s.title}
        description={t('assessment.calibration.participants', { list: s.participants.map((p) => `${p.evaluatorName}${p.submitted ? ' ✓' : ''}`).join(', ') || '—' })}
        actions={
          <>
            <span className={`badge ${s.status === 'open' ? 'badge-info' : 'badge-success'}`}>{t(`assessment.calibration.status.${s.status}`)}</span>
            {s.status === 'open' && (
              <button type="button" className="btn btn-primary btn-sm" onClick={() => void score()}>
                {s.myEvaluationId ? t('assessment.calibration.myScoring') : t('assessment.calibration.scoreBlind')}
              </button>
            )}
          </>
        }
      />
      <ErrorAlert error={error} />
      {!s.revealed && <div className="alert alert-info">{t('assessment.calibration.blind')}</div>}
      {s.revealed && s.agreement && (
        <div className="stat-row">
          <div className="card stat">
            <span className="muted small">{t('assessment.calibration.raters')}</span>
            <strong>{s.agreement.raters}</strong>
          </div>
          <div className="card stat">
            <span className="muted small">{t('assessment.calibration.exactAgreement')}</span>
            <strong data-testid="exact-agreement">{pct(s.agreement.exactAgreement)}</strong>
          </div>
          <div className="card stat">
            <span className="muted small">{t('assessment.calibration.alpha')}</span>
            <strong>{s.agreement.krippendorffAlphaOrdinal === null ? '—' : scoreText(s.agreement.krippendorffAlphaOrdinal, i18n.language)}</strong>
          </div>
        </div>
      )}
      {s.revealed && (
        <div className="card table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('assessment.calibration.spread')}</caption>
            <thead>
              <tr>
                <th>{t('assessment.calibration.criterion')}</th>
                {s.ratings.map((r) => (
                  <th key={r.evaluatorId} className="num">
                    {r.evaluatorName}
                  </th>
                ))}
                <th className="num">{t('assessment.calibration.min')}</th>
                <th className="num">{t('assessment.calibration.max')}</th>
                <th className="num">{t('assessment.calibration.mean')}</th>
                <th className="num">{t('assessment.calibration.stddev')}</th>
                {s.reference && <th className="num">{t('assessment.calibration.reference')}</th>}
              </tr>
            </thead>
            <tbody>
              {s.spread.map((x) => (
                <tr key={x.criterionId} className={x.range !== null && x.range >= 2 ? 'cell-l1' : x.range === 1 ? 'cell-l2' : ''}>
                  <td>{criterion(x.criterionId)}</td>
                  {s.ratings.map((r) => (
                    <td key={r.evaluatorId} className="num">
                      {r.answers[x.criterionId] === 'na' ? t('assessment.score.na') : (r.answers[x.criterionId] ?? '—')}
                    </td>
                  ))}
                  <td className="num">{x.min ?? '—'}</td>
                  <td className="num">{x.max ?? '—'}</td>
                  <td className="num">{scoreText(x.mean, i18n.language)}</td>
                  <td className="num">{scoreText(x.stddev, i18n.language)}</td>
                  {s.reference && <td className="num">{s.reference.answers[x.criterionId] ?? '—'}</td>}
                </tr>
              ))}
              <tr>
                <td>
                  <strong>{t('assessment.score.overall')}</strong>
                </td>
                {s.ratings.map((r) => (
                  <td key={r.evaluatorId} className="num">
                    <strong>{scoreText(r.overall, i18n.language)}</strong>
                  </td>
                ))}
                <td colSpan={4} />
                {s.reference && (
                  <td className="num">
                    <strong>{scoreText(s.reference.result.overall, i18n.language)}</strong>
                  </td>
                )}
              </tr>
            </tbody>
          </table>
        </div>
      )}
      {s.revealed && s.status === 'open' && (
        <section className="card">
          <div className="card-header">
            <h2>{t('assessment.calibration.agreeReference')}</h2>
          </div>
          <div className="card-body">
            <ScorecardPanel grid={{ ...grid, commentFields: [] }} answers={reference} commentFields={{}} readOnly={false} onAnswer={(k, v) => setReference((r) => ({ ...r, [k]: v }))} onCommentField={() => undefined} />
            <div className="form-actions">
              <button type="button" className="btn btn-primary" onClick={() => void close()}>
                {t('assessment.calibration.close')}
              </button>
            </div>
          </div>
        </section>
      )}
    </div>
  );
}
