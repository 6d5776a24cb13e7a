import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Answers } from '@passerelle/shared/scoring';
import { ConfirmDialog } from '@kit/Dialog.tsx';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { useFormat } from '@kit/format.ts';
import { useSession } from '@kit/session.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { assessmentApi, clock, type EvaluationDetail } from './api.ts';
import { RecordingPlayer, type PlayerHandle } from './RecordingPlayer.tsx';
import { ScorecardPanel } from './ScorecardPanel.tsx';

/** Scoring a call: the recording (waveform, speed, timestamped comments) beside the scorecard. */
export function ScoringPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const { api, session } = useSession();
  const a = assessmentApi(api);
  const player = useRef<PlayerHandle>(null);
  const [ev, setEv] = useState<EvaluationDetail | null>(null);
  const [answers, setAnswers] = useState<Answers>({});
  const [fields, setFields] = useState<Record<string, string>>({});
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState('');
  const [noteCriterion, setNoteCriterion] = useState('');

  const [confirming, setConfirming] = useState(false);

  /** `keepEdits`: comments and the excerpt are saved on their own; answers being typed stay as they are. */
  const load = (d: EvaluationDetail, keepEdits = false) => {
    setEv(d);
    if (keepEdits) return;
    setAnswers(d.answers);
    setFields(d.commentFields);
    setDirty(false);
  };
  useEffect(() => {
    a.evaluation(id).then(load, setError);
    // `a` is rebuilt each render; the evaluation id decides what to load.
  }, [id]);

  if (!ev) return error ? <ErrorAlert error={error} /> : <p className="page-loading">{t('assessment.loading')}</p>;
  const readOnly = ev.status === 'final' || ev.evaluatorId !== session?.user.id;

  async function run(action: () => Promise<EvaluationDetail>, message: string, keepEdits = false) {
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      load(await action(), keepEdits);
      setSaved(message);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  const save = () => run(() => a.update(id, { answers, commentFields: fields }), t('assessment.scoring.saved'));
  const finalize = () =>
    run(async () => {
      if (dirty) await a.update(id, { answers, commentFields: fields });
      return a.finalize(id);
    }, ev.calibrationSessionId ? t('assessment.calibration.submittedMessage') : t('assessment.scoring.finalized'));
  const addComment = (e: FormEvent) => {
    e.preventDefault();
    if (!note.trim()) return;
    const atMs = ev.recording ? (player.current?.currentMs() ?? 0) : null;
    void run(() => a.comment(id, { atMs, criterionId: noteCriterion || null, body: note.trim() }), t('assessment.scoring.commentAdded'), true).then(() => setNote(''));
  };
  const setExcerpt = (patch: Parameters<typeof a.update>[1]) => run(() => a.update(id, patch), t('assessment.scoring.saved'), true);
  const criterionLabel = (cid: string | null) => ev.grid.competencies.flatMap((c) => c.criteria).find((k) => k.id === cid)?.label;

  return (
    <div className="page">
      <PageHeader
        title={t('assessment.scoring.title', { name: ev.traineeName })}
        description={t('assessment.scoring.subtitle', {
          date: fmt.dateTime(ev.callAt),
          kind: ev.isPractice ? t('assessment.kind.practice') : t(`assessment.campaignType.${ev.campaignType ?? 'none'}`),
          grid: `${ev.scorecardName} v${ev.scorecardVersion}`,
        })}
        actions={
          <>
            <span className={`badge ${ev.status === 'final' ? 'badge-success' : 'badge-info'}`} data-testid="evaluation-status">
              {t(`assessment.status.${ev.status}`)}
            </span>
            <Link className="btn btn-sm" to={ev.calibrationSessionId ? `/calibrage/${ev.calibrationSessionId}` : '/evaluations'}>
              {ev.calibrationSessionId ? t('assessment.calibration.back') : t('assessment.scoring.back')}
            </Link>
          </>
        }
      />
      <ErrorAlert error={error} />
      {saved && (
        <div className="alert alert-success" role="status">
          {saved}
        </div>
      )}
      <div className="scoring-layout">
        <section className="card scoring-listen">
          <div className="card-body stack">
            {ev.recording ? (
              <RecordingPlayer ref={player} src={`/api/recordings/${ev.recording.id}/audio`} peaks={ev.recording.peaks} durationMs={ev.recording.durationMs} markers={ev.comments.flatMap((c) => (c.atMs === null ? [] : [c.atMs]))} />
            ) : (
              <p className="muted">{t('assessment.scoring.noRecording')}</p>
            )}
            <h2 className="h3">{t('assessment.scoring.comments')}</h2>
            <ol className="comment-list">
              {ev.comments.map((c) => (
                <li key={c.id}>
                  {c.atMs !== null && ev.recording ? (
                    <button type="button" className="btn btn-sm btn-ghost comment-time" onClick={() => player.current?.seek(c.atMs!)}>
                      {clock(c.atMs)}
                    </button>
                  ) : (
                    <span className="comment-time muted">—</span>
                  )}
                  <span className="comment-body">
                    {c.body}
                    {c.criterionId && <span className="muted small"> · {criterionLabel(c.criterionId)}</span>}
                  </span>
                  {!readOnly && (
                    <button type="button" className="btn btn-sm btn-ghost" aria-label={t('assessment.scoring.deleteComment')} onClick={() => void run(async () => (await a.deleteComment(id, c.id), a.evaluation(id)), t('assessment.scoring.saved'), true)}>
                      ×
                    </button>
                  )}
                </li>
              ))}
              {ev.comments.length === 0 && <li className="muted">{t('assessment.scoring.noComments')}</li>}
            </ol>
            {!readOnly && (
              <form className="stack" onSubmit={addComment}>
                <div className="field">
                  <label htmlFor="new-comment">{ev.recording ? t('assessment.scoring.newCommentAt') : t('assessment.scoring.newComment')}</label>
                  <textarea id="new-comment" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
                </div>
                <div className="btn-row">
                  <select aria-label={t('assessment.scoring.criterion')} value={noteCriterion} onChange={(e) => setNoteCriterion(e.target.value)}>
                    <option value="">{t('assessment.scoring.noCriterion')}</option>
                    {ev.grid.competencies.flatMap((c) => c.criteria).map((k) => (
                      <option key={k.id} value={k.id}>
                        {k.label}
                      </option>
                    ))}
                  </select>
                  <button type="submit" className="btn btn-sm" disabled={busy || !note.trim()}>
                    {t('assessment.scoring.addComment')}
                  </button>
                </div>
              </form>
            )}
            {ev.recording && (
              <div className="excerpt stack">
                <label className="checkbox">
                  <input type="checkbox" checked={ev.shareExcerpt} disabled={readOnly || busy} onChange={(e) => void setExcerpt({ shareExcerpt: e.target.checked })} />
                  {t('assessment.scoring.shareExcerpt')}
                </label>
                <div className="btn-row small">
                  <span>
                    {ev.excerptStartMs === null ? t('assessment.scoring.wholeCall') : `${clock(ev.excerptStartMs)} → ${clock(ev.excerptEndMs ?? 0)}`}
                  </span>
                  {!readOnly && (
                    <>
                      <button type="button" className="btn btn-sm" onClick={() => void setExcerpt({ excerptStartMs: player.current?.currentMs() ?? 0, excerptEndMs: Math.max((player.current?.currentMs() ?? 0) + 1000, ev.excerptEndMs ?? ev.recording!.durationMs) })}>
                        {t('assessment.scoring.excerptStart')}
                      </button>
                      <button type="button" className="btn btn-sm" onClick={() => void setExcerpt({ excerptStartMs: ev.excerptStartMs ?? 0, excerptEndMs: player.current?.currentMs() ?? ev.recording!.durationMs })}>
                        {t('assessment.scoring.excerptEnd')}
                      </button>
                    </>
                  )}
                </div>
              </div>
            )}
          </div>
        </section>
        <section className="card scoring-grid">
          <div className="card-body">
            <ScorecardPanel
              grid={ev.grid}
              answers={answers}
              commentFields={fields}
              readOnly={readOnly}
              onAnswer={(k, v) => {
                setAnswers((prev) => ({ ...prev, [k]: v }));
                setDirty(true);
              }}
              onCommentField={(f, v) => {
                setFields((prev) => ({ ...prev, [f]: v }));
                setDirty(true);
              }}
            />
            {!readOnly && (
              <div className="form-actions">
                <button type="button" className="btn" disabled={busy || !dirty} onClick={() => void save()}>
                  {t('assessment.scoring.saveDraft')}
                </button>
                <button type="button" className="btn btn-primary" disabled={busy} onClick={() => setConfirming(true)}>
                  {t('assessment.scoring.finalize')}
                </button>
              </div>
            )}
            {confirming && (
              <ConfirmDialog
                title={t('assessment.scoring.finalizeTitle')}
                message={<p>{ev.calibrationSessionId ? t('assessment.scoring.calibrationSubmitBody') : t('assessment.scoring.finalizeBody', { name: ev.traineeName })}</p>}
                confirmLabel={t('assessment.scoring.finalize')}
                busy={busy}
                onConfirm={() => {
                  setConfirming(false);
                  void finalize();
                }}
                onClose={() => setConfirming(false)}
              />
            )}
          </div>
        </section>
      </div>
    </div>
  );
}
