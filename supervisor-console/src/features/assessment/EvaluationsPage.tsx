import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { useFormat } from '@kit/format.ts';
import { useApiQuery } from '@kit/useApiQuery.ts';
import { useSession } from '@kit/session.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { assessmentApi, clock, scoreText } from './api.ts';
import { TraineeSelect } from './TraineeSelect.tsx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Source = 'recordingId' | 'attemptId' | 'practiceCallId';
const SOURCES: Source[] = ['recordingId', 'attemptId', 'practiceCallId'];

/**
 * Evaluations list (drafts and finals) and the start of a new scoring. Other screens link here
 * with `?attemptId=…` (a live call on the floor), `?recordingId=…` or `?practiceCallId=…`.
 */
export function EvaluationsPage() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const { api } = useSession();
  const navigate = useNavigate();
  const [traineeId, setTraineeId] = useState('');
  const [status, setStatus] = useState('');
  const [params] = useSearchParams();
  const linked = SOURCES.find((s) => params.get(s));
  const [source, setSource] = useState<Source>(linked ?? 'recordingId');
  const [ref, setRef] = useState(linked ? (params.get(linked) ?? '') : '');
  const [error, setError] = useState<unknown>(null);
  const list = useApiQuery(`evals:${traineeId}:${status}`, (c) => assessmentApi(c).evaluations({ traineeId: traineeId || undefined, status: status || undefined } as { traineeId?: string; status?: string }));
  const calls = useApiQuery(`recorded-calls:${traineeId}`, (c) => assessmentApi(c).recordedCalls(traineeId ? { traineeId } : {}));

  async function begin(body: { attemptId?: string; recordingId?: string; practiceCallId?: string }) {
    setError(null);
    try {
      const created = await assessmentApi(api).create(body);
      navigate(`/evaluations/${created.id}`);
    } catch (err) {
      setError(err);
    }
  }
  function start(e: FormEvent) {
    e.preventDefault();
    void begin({ [source]: ref.trim() });
  }

  return (
    <div className="page">
      <PageHeader title={t('assessment.list.title')} description={t('assessment.list.description')} />
      <form className="toolbar" onSubmit={start}>
        <div className="field">
          <label htmlFor="eval-source">{t('assessment.list.source')}</label>
          <select id="eval-source" value={source} onChange={(e) => setSource(e.target.value as Source)}>
            <option value="recordingId">{t('assessment.list.fromRecording')}</option>
            <option value="attemptId">{t('assessment.list.fromCall')}</option>
            <option value="practiceCallId">{t('assessment.list.fromPractice')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="eval-ref">{t('assessment.list.reference')}</label>
          <input id="eval-ref" value={ref} onChange={(e) => setRef(e.target.value)} placeholder="00000000-0000-…" />
        </div>
        <div className="field">
          <button type="submit" className="btn btn-primary" disabled={!UUID.test(ref.trim())}>
            {t('assessment.list.start')}
          </button>
        </div>
      </form>
      <ErrorAlert error={error} />
      <div className="toolbar">
        <TraineeSelect value={traineeId} onChange={setTraineeId} allowAll />
        <div className="field">
          <label htmlFor="eval-status">{t('assessment.list.status')}</label>
          <select id="eval-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t('assessment.list.all')}</option>
            <option value="draft">{t('assessment.status.draft')}</option>
            <option value="final">{t('assessment.status.final')}</option>
          </select>
        </div>
      </div>
      <ErrorAlert error={calls.error} onRetry={calls.reload} />
      <div className="card">
        <DataTable
          caption={t('assessment.calls.title')}
          columns={[
            t('assessment.calls.col.date'),
            t('assessment.calls.col.trainee'),
            t('assessment.calls.col.kind'),
            { label: t('assessment.calls.col.duration'), className: 'num' },
            t('assessment.calls.col.outcome'),
            { label: t('assessment.calls.col.evaluated'), className: 'num' },
          ]}
          actions
          items={calls.data}
          empty={t('assessment.calls.empty')}
          row={(c) => (
            <tr key={c.attemptId}>
              <td>{fmt.dateTime(c.callAt)}</td>
              <td>{c.traineeName}</td>
              <td>{t(`assessment.campaignType.${c.campaignType}`, { defaultValue: c.campaignType })}</td>
              <td className="num mono">{clock(c.durationMs)}</td>
              <td>{c.outcome ? t(`outcome.${c.outcome}`, { defaultValue: c.outcome }) : '—'}</td>
              <td className="num">{fmt.number(c.evaluations)}</td>
              <td className="actions">
                <button type="button" className="btn btn-sm" onClick={() => void begin({ attemptId: c.attemptId })}>
                  {t('assessment.calls.evaluate')}
                </button>
              </td>
            </tr>
          )}
        />
      </div>
      <ErrorAlert error={list.error} onRetry={list.reload} />
      <div className="card">
        <DataTable
          caption={t('assessment.list.title')}
          columns={[
            t('assessment.col.date'),
            t('assessment.col.trainee'),
            t('assessment.col.kind'),
            t('assessment.col.evaluator'),
            { label: t('assessment.col.score'), className: 'num' },
            t('assessment.col.status'),
          ]}
          actions
          items={list.data}
          empty={t('assessment.list.empty')}
          row={(e) => (
            <tr key={e.id}>
              <td>{fmt.dateTime(e.callAt)}</td>
              <td>{e.traineeName}</td>
              <td>{e.isPractice ? t('assessment.kind.practice') : t(`assessment.campaignType.${e.campaignType ?? 'none'}`)}</td>
              <td>{e.evaluatorName}</td>
              <td className="num">
                {scoreText(e.overall, i18n.language)}
                {e.capped && <span className="badge badge-danger"> {t('assessment.score.capped')}</span>}
              </td>
              <td>
                <span className={`badge ${e.status === 'final' ? 'badge-success' : 'badge-info'}`}>{t(`assessment.status.${e.status}`)}</span>
              </td>
              <td className="actions">
                <Link className="btn btn-sm" to={`/evaluations/${e.id}`}>
                  {e.status === 'draft' ? t('assessment.list.continue') : t('assessment.list.open')}
                </Link>
              </td>
            </tr>
          )}
        />
      </div>
    </div>
  );
}
