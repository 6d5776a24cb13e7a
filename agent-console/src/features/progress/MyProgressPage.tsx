import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../kit/ErrorAlert.tsx';
import { useFormat } from '../../kit/format.ts';
import { useApiQuery } from '../../kit/useApiQuery.ts';
import { clock, myApi, score } from './api.ts';
import './progress.css';

/** "Ma progression": the trainee's own final evaluations, comments, trend and objectives (read only). */
export function MyProgressPage() {
  const { t, i18n } = useTranslation();
  const fmt = useFormat();
  const [openId, setOpenId] = useState<string | null>(null);
  const data = useApiQuery('me:progress', async (api) => {
    const m = myApi(api);
    const [progress, evaluations] = await Promise.all([m.progress(), m.evaluations()]);
    return { progress, evaluations };
  });
  const detail = useApiQuery(`me:evaluation:${openId}`, (api) => (openId ? myApi(api).evaluation(openId) : Promise.resolve(null)));
  const p = data.data?.progress;
  const label = (id: string) => p?.competencies.find((c) => c.id === id)?.label ?? id;
  const trend = (v: number | null) => (v === null ? t('myProgress.none') : v > 0.05 ? `↗ ${t('myProgress.trendUp')}` : v < -0.05 ? `↘ ${t('myProgress.trendDown')}` : `→ ${t('myProgress.trendFlat')}`);
  const d = detail.data;

  return (
    <div>
      <header className="page-head">
        <h1>{t('myProgress.title')}</h1>
        <p className="muted">{t('myProgress.intro')}</p>
      </header>
      <ErrorAlert error={data.error} onRetry={data.reload} />
      {p && p.evaluated === 0 && (
        <section className="card">
          <p className="empty-state">{t('myProgress.empty')}</p>
        </section>
      )}
      {p && p.evaluated > 0 && (
        <div className="progress-grid">
          <section className="card card-body">
            <dl className="facts">
              <dt>{t('myProgress.evaluated')}</dt>
              <dd>{p.evaluated}</dd>
              <dt>{t('myProgress.average')}</dt>
              <dd>{score(p.overall.average, i18n.language)} / 4</dd>
              <dt>{t('myProgress.trend')}</dt>
              <dd data-testid="my-trend">{trend(p.overall.trendPer30Days)}</dd>
              <dt>{t('myProgress.nextReview')}</dt>
              <dd>{p.nextReviewDate ? p.nextReviewDate.split('-').reverse().join('/') : t('myProgress.none')}</dd>
            </dl>
          </section>
          <section className="card card-body">
            <h2 className="h3">{t('myProgress.strengths')}</h2>
            <ul>{p.strengths.length ? p.strengths.map((id) => <li key={id}>{label(id)}</li>) : <li className="muted">{t('myProgress.none')}</li>}</ul>
            <h2 className="h3">{t('myProgress.gaps')}</h2>
            <ul>{p.gaps.length ? p.gaps.map((id) => <li key={id}>{label(id)}</li>) : <li className="muted">{t('myProgress.none')}</li>}</ul>
          </section>
          <section className="card card-body">
            <h2 className="h3">{t('myProgress.objectives')}</h2>
            <ul>{p.nextObjectives.length ? p.nextObjectives.map((o) => <li key={o}>{o}</li>) : <li className="muted">{t('myProgress.none')}</li>}</ul>
          </section>
        </div>
      )}
      {data.data && data.data.evaluations.length > 0 && (
        <section className="card my-evaluations">
          <div className="card-header">
            <h2>{t('myProgress.list')}</h2>
          </div>
          <ul className="my-eval-list">
            {data.data.evaluations.map((e) => (
              <li key={e.id}>
                <div className="my-eval-row">
                  <span>{fmt.dateTime(e.callAt)}</span>
                  <span>{e.isPractice ? t('myProgress.practice') : t('myProgress.call')}</span>
                  <span className="muted small">{t('myProgress.by', { name: e.evaluatorName })}</span>
                  <strong>{score(e.overall, i18n.language)}</strong>
                  {e.capped && <span className="badge badge-danger">{t('myProgress.capped')}</span>}
                  <button type="button" className="btn btn-sm" aria-expanded={openId === e.id} onClick={() => setOpenId(openId === e.id ? null : e.id)}>
                    {openId === e.id ? t('myProgress.close') : t('myProgress.open')}
                  </button>
                </div>
                {openId === e.id && d && d.id === e.id && (
                  <div className="my-eval-detail">
                    {d.grid.competencies.map((c) => {
                      const r = d.result.competencies.find((x) => x.id === c.id);
                      return (
                        <div key={c.id} className="my-competency">
                          <div className="my-competency-head">
                            <span className="muted small">{c.block}</span> <strong>{c.label}</strong> <span>{score(r?.score, i18n.language)}</span>
                          </div>
                          <ul className="my-criteria">
                            {c.criteria.map((k) => {
                              const v = d.answers[k.id];
                              return (
                                <li key={k.id}>
                                  {k.label} : {typeof v === 'number' ? `${v} · ${d.grid.scale.find((l) => l.value === v)?.label ?? ''}` : t('myProgress.none')}
                                  {d.result.criticalFailures.includes(k.id) && <span className="badge badge-danger"> {t('myProgress.critical')}</span>}
                                </li>
                              );
                            })}
                          </ul>
                        </div>
                      );
                    })}
                    {d.grid.commentFields
                      .filter((f) => d.commentFields[f.id]?.trim())
                      .map((f) => (
                        <p key={f.id}>
                          <strong>{f.label} :</strong> {d.commentFields[f.id]}
                        </p>
                      ))}
                    {d.comments.length > 0 && (
                      <>
                        <h3 className="h3">{t('myProgress.moments')}</h3>
                        <ul className="my-moments">
                          {d.comments.map((c) => (
                            <li key={c.id}>
                              <span className="moment-time">{c.atMs === null ? '—' : clock(c.atMs)}</span> {c.body} <span className="muted small">— {c.authorName}</span>
                            </li>
                          ))}
                        </ul>
                      </>
                    )}
                    {d.excerpt && (
                      <div className="my-excerpt">
                        <h3 className="h3">
                          {t('myProgress.excerpt')} ({clock(d.excerpt.startMs)} → {clock(d.excerpt.endMs)})
                        </h3>
                        <audio controls preload="none" src={`/api/me/evaluations/${d.id}/excerpt`} />
                      </div>
                    )}
                  </div>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      <ErrorAlert error={detail.error} />
      <p className="page-foot">
        <Link to="/">{t('progress.back')}</Link>
      </p>
    </div>
  );
}
