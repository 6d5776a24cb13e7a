import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { useFormat } from '@kit/format.ts';
import { useApiQuery } from '@kit/useApiQuery.ts';
import { useSession } from '@kit/session.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { assessmentApi, scoreText, type Review } from './api.ts';
import { frenchDateToIso } from './filters.tsx';
import { TraineeSelect } from './TraineeSelect.tsx';

const isoToFrench = (d: string) => d.split('-').reverse().join('/');

/** Bilans: reminders, a trainee's reviews, and a new review relying on chosen evaluations. */
export function ReviewsPage() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const { api } = useSession();
  const [traineeId, setTraineeId] = useState('');
  const [generation, setGeneration] = useState(0);
  const reminders = useApiQuery(`reminders:${generation}`, (c) => assessmentApi(c).reminders());
  const data = useApiQuery(`reviews:${traineeId}:${generation}`, async (c) => {
    if (!traineeId) return null;
    const a = assessmentApi(c);
    const scorecards = await a.scorecards();
    const def = scorecards.find((s) => s.isDefault) ?? scorecards[0]!;
    const [reviews, evaluations, scorecard] = await Promise.all([a.reviews(traineeId), a.evaluations({ traineeId, status: 'final' }), a.scorecard(def.id)]);
    return { reviews, evaluations, grid: scorecard.grid };
  });
  const [kind, setKind] = useState<Review['kind']>('follow_up');
  const [date, setDate] = useState('');
  const [next, setNext] = useState('');
  const [levels, setLevels] = useState<Record<string, number>>({});
  const [objectives, setObjectives] = useState('');
  const [comments, setComments] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [badDate, setBadDate] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const reviewDate = frenchDateToIso(date);
    const nextReviewDate = next.trim() ? frenchDateToIso(next) : null;
    if (!reviewDate || nextReviewDate === null && next.trim()) return setBadDate(true);
    setBadDate(false);
    setError(null);
    try {
      await assessmentApi(api).createReview({
        traineeId,
        kind,
        reviewDate,
        competencyLevels: levels,
        objectives: objectives.split('\n').map((o) => o.trim()).filter(Boolean),
        comments,
        evaluationIds: chosen,
        nextReviewDate,
      });
      setLevels({});
      setObjectives('');
      setComments('');
      setChosen([]);
      setGeneration((g) => g + 1);
    } catch (err) {
      setError(err);
    }
  }

  const d = data.data;
  return (
    <div className="page">
      <PageHeader title={t('assessment.reviews.title')} description={t('assessment.reviews.description')} />
      <section className="card">
        <div className="card-header">
          <h2>{t('assessment.reviews.reminders')}</h2>
        </div>
        <ul className="card-body reminder-list">
          {reminders.data?.map((r) => (
            <li key={r.traineeId}>
              <span className={`badge ${r.status === 'overdue' ? 'badge-danger' : r.status === 'due_soon' ? 'badge-warning' : 'badge-info'}`}>{t(`assessment.reviews.reminder.${r.status}`)}</span> {r.traineeName}
              {r.nextReviewDate && <span className="muted small"> · {isoToFrench(r.nextReviewDate)}</span>}
            </li>
          ))}
          {reminders.data?.length === 0 && <li className="muted">{t('assessment.reviews.noReminder')}</li>}
        </ul>
      </section>
      <div className="toolbar">
        <TraineeSelect value={traineeId} onChange={setTraineeId} />
      </div>
      <ErrorAlert error={data.error ?? reminders.error} />
      {d && (
        <div className="two-cols">
          <section className="card">
            <div className="card-header">
              <h2>{t('assessment.reviews.history')}</h2>
            </div>
            <div className="card-body stack">
              {d.reviews.map((r) => (
                <article key={r.id} className="review">
                  <h3 className="h3">
                    {t(`assessment.reviews.kind.${r.kind}`)} — {isoToFrench(r.reviewDate)}
                  </h3>
                  <p className="muted small">
                    {r.trainerName}
                    {r.nextReviewDate && ` · ${t('assessment.progress.nextReview')} ${isoToFrench(r.nextReviewDate)}`} · {t('assessment.reviews.reliedOn', { count: r.evaluationIds.length })}
                  </p>
                  <ul>
                    {Object.entries(r.competencyLevels).map(([id, v]) => (
                      <li key={id}>
                        {d.grid.competencies.find((c) => c.id === id)?.label ?? id} : {d.grid.scale.find((l) => l.value === v)?.label ?? v}
                      </li>
                    ))}
                  </ul>
                  {r.objectives.length > 0 && (
                    <>
                      <strong className="small">{t('assessment.progress.objectives')}</strong>
                      <ul>
                        {r.objectives.map((o) => (
                          <li key={o}>{o}</li>
                        ))}
                      </ul>
                    </>
                  )}
                  {r.comments && <p>{r.comments}</p>}
                </article>
              ))}
              {d.reviews.length === 0 && <p className="muted">{t('assessment.reviews.none')}</p>}
            </div>
          </section>
          <form className="card" onSubmit={submit}>
            <div className="card-header">
              <h2>{t('assessment.reviews.new')}</h2>
            </div>
            <div className="card-body">
              <div className="form-grid">
                <div className="field">
                  <label htmlFor="rv-kind">{t('assessment.reviews.kindLabel')}</label>
                  <select id="rv-kind" value={kind} onChange={(e) => setKind(e.target.value as Review['kind'])}>
                    {(['initial', 'follow_up', 'final'] as const).map((k) => (
                      <option key={k} value={k}>
                        {t(`assessment.reviews.kind.${k}`)}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor="rv-date">{t('assessment.reviews.date')}</label>
                  <input id="rv-date" value={date} placeholder="jj/mm/aaaa" onChange={(e) => setDate(e.target.value)} required />
                </div>
                <div className="field">
                  <label htmlFor="rv-next">{t('assessment.reviews.next')}</label>
                  <input id="rv-next" value={next} placeholder="jj/mm/aaaa" onChange={(e) => setNext(e.target.value)} />
                </div>
              </div>
              {badDate && <p className="field-error">{t('assessment.filter.badDate')}</p>}
              {d.grid.competencies.map((c) => (
                <div className="field" key={c.id}>
                  <label htmlFor={`rv-l-${c.id}`}>{c.label}</label>
                  <select id={`rv-l-${c.id}`} value={levels[c.id] ?? ''} onChange={(e) => setLevels((l) => ({ ...l, [c.id]: Number(e.target.value) }))}>
                    <option value="">—</option>
                    {d.grid.scale.map((l) => (
                      <option key={l.value} value={l.value}>
                        {l.value} · {l.label}
                      </option>
                    ))}
                  </select>
                </div>
              ))}
              <div className="field">
                <label htmlFor="rv-obj">{t('assessment.reviews.objectives')}</label>
                <textarea id="rv-obj" rows={3} value={objectives} onChange={(e) => setObjectives(e.target.value)} />
                <span className="field-hint">{t('assessment.reviews.objectivesHint')}</span>
              </div>
              <div className="field">
                <label htmlFor="rv-com">{t('assessment.reviews.comments')}</label>
                <textarea id="rv-com" rows={3} value={comments} onChange={(e) => setComments(e.target.value)} />
              </div>
              <fieldset className="field">
                <legend className="field-label">{t('assessment.reviews.evaluations')}</legend>
                {d.evaluations.map((e) => (
                  <label key={e.id} className="checkbox">
                    <input type="checkbox" checked={chosen.includes(e.id)} onChange={(x) => setChosen((c) => (x.target.checked ? [...c, e.id] : c.filter((i) => i !== e.id)))} />
                    {fmt.dateTime(e.callAt)} — {scoreText(e.overall, i18n.language)}
                  </label>
                ))}
                {d.evaluations.length === 0 && <span className="muted small">{t('assessment.list.empty')}</span>}
              </fieldset>
              <ErrorAlert error={error} />
              <div className="form-actions">
                <button type="submit" className="btn btn-primary">
                  {t('assessment.reviews.save')}
                </button>
              </div>
            </div>
          </form>
        </div>
      )}
    </div>
  );
}
