import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { useApiQuery } from '@kit/useApiQuery.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { assessmentApi, scoreText, type ProgressFilter } from './api.ts';
import { ProgressFilters } from './filters.tsx';
import { ProgressChart } from './ProgressChart.tsx';
import { TraineeSelect } from './TraineeSelect.tsx';

/** One trainee's progress per competency: chart, averages, trends, strengths, gaps, evidence export. */
export function ProgressPage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const [traineeId, setTraineeId] = useState(params.get('stagiaire') ?? '');
  const [filter, setFilter] = useState<ProgressFilter>({});
  const [shown, setShown] = useState('');
  const progress = useApiQuery(`progress:${traineeId}:${JSON.stringify(filter)}`, (api) => (traineeId ? assessmentApi(api).progress(traineeId, filter) : Promise.resolve(null)));
  const p = progress.data;
  const label = (id: string) => p?.competencies.find((c) => c.id === id)?.label ?? id;
  const trend = (v: number | null) => (v === null ? '—' : `${v > 0 ? '↗' : v < 0 ? '↘' : '→'} ${scoreText(v, i18n.language)}`);
  const series = p
    ? [
        { key: 'overall', label: t('assessment.score.overall'), points: p.points.map((x) => ({ at: x.at, value: x.overall, practice: x.isPractice })) },
        ...(shown ? [{ key: shown, label: label(shown), points: p.points.map((x) => ({ at: x.at, value: x.competencies[shown] ?? null, practice: x.isPractice })) }] : []),
      ]
    : [];

  return (
    <div className="page">
      <PageHeader
        title={t('assessment.progress.title')}
        description={t('assessment.progress.description')}
        actions={
          traineeId && (
            <>
              <a className="btn btn-sm" href={`/api/assessment/trainees/${traineeId}/portfolio.html`} target="_blank" rel="noreferrer">
                {t('assessment.progress.portfolioHtml')}
              </a>
              <a className="btn btn-sm" href={`/api/assessment/trainees/${traineeId}/portfolio.pdf`}>
                {t('assessment.progress.portfolioPdf')}
              </a>
            </>
          )
        }
      />
      <div className="toolbar">
        <TraineeSelect value={traineeId} onChange={setTraineeId} />
        <ProgressFilters onApply={setFilter} />
      </div>
      <ErrorAlert error={progress.error} onRetry={progress.reload} />
      {p && (
        <>
          <div className="stat-row">
            <div className="card stat">
              <span className="muted small">{t('assessment.progress.evaluated')}</span>
              <strong>{p.evaluated}</strong>
            </div>
            <div className="card stat">
              <span className="muted small">{t('assessment.progress.average')}</span>
              <strong>{scoreText(p.overall.average, i18n.language)}</strong>
            </div>
            <div className="card stat">
              <span className="muted small">{t('assessment.progress.trend')}</span>
              <strong>{trend(p.overall.trendPer30Days)}</strong>
            </div>
            <div className="card stat">
              <span className="muted small">{t('assessment.progress.nextReview')}</span>
              <strong>{p.nextReviewDate ? p.nextReviewDate.split('-').reverse().join('/') : '—'}</strong>
            </div>
          </div>
          <section className="card">
            <div className="card-header">
              <h2>{t('assessment.progress.chart')}</h2>
              <select aria-label={t('assessment.progress.competencyShown')} value={shown} onChange={(e) => setShown(e.target.value)}>
                <option value="">{t('assessment.progress.overallOnly')}</option>
                {p.competencies.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.label}
                  </option>
                ))}
              </select>
            </div>
            <div className="card-body">
              <ProgressChart series={series} min={1} max={4} pass={2.5} />
            </div>
          </section>
          <div className="two-cols">
            <section className="card table-wrap">
              <table className="table">
                <caption className="visually-hidden">{t('assessment.progress.byCompetency')}</caption>
                <thead>
                  <tr>
                    <th>{t('assessment.col.competency')}</th>
                    <th className="num">{t('assessment.progress.evaluated')}</th>
                    <th className="num">{t('assessment.progress.average')}</th>
                    <th className="num">{t('assessment.progress.trend')}</th>
                  </tr>
                </thead>
                <tbody>
                  {p.competencies.map((c) => (
                    <tr key={c.id}>
                      <td>
                        <span className="muted small">{c.block}</span> {c.label}
                      </td>
                      <td className="num">{c.count}</td>
                      <td className="num">{scoreText(c.average, i18n.language)}</td>
                      <td className="num">{trend(c.trendPer30Days)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section className="card">
              <div className="card-body stack">
                <div>
                  <h3 className="h3">{t('assessment.progress.strengths')}</h3>
                  <ul>{p.strengths.length ? p.strengths.map((id) => <li key={id}>{label(id)}</li>) : <li className="muted">—</li>}</ul>
                </div>
                <div>
                  <h3 className="h3">{t('assessment.progress.gaps')}</h3>
                  <ul>{p.gaps.length ? p.gaps.map((id) => <li key={id}>{label(id)}</li>) : <li className="muted">—</li>}</ul>
                </div>
                <div>
                  <h3 className="h3">{t('assessment.progress.objectives')}</h3>
                  <ul>{p.nextObjectives.length ? p.nextObjectives.map((o) => <li key={o}>{o}</li>) : <li className="muted">—</li>}</ul>
                </div>
              </div>
            </section>
          </div>
        </>
      )}
    </div>
  );
}
