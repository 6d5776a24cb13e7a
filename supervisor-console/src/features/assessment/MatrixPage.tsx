import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { ListTeamsReply } from '@passerelle/shared/api/admin';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { useApiQuery } from '@kit/useApiQuery.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { GroupFilter } from '../../components/SelectField.tsx';
import { assessmentApi, scoreText, type ProgressFilter } from './api.ts';
import { ProgressFilters } from './filters.tsx';

/** Level band of an average, for the cell colour (class only: the CSP forbids inline styles). */
const band = (v: number | null) => (v === null ? 'cell-none' : v < 1.75 ? 'cell-l1' : v < 2.5 ? 'cell-l2' : v < 3.25 ? 'cell-l3' : 'cell-l4');

/** The group at a glance: trainee × competency averages over the period. */
export function MatrixPage() {
  const { t, i18n } = useTranslation();
  const [filter, setFilter] = useState<ProgressFilter>({});
  const m = useApiQuery(`matrix:${JSON.stringify(filter)}`, (api) => assessmentApi(api).matrix(filter));
  // One training group at a time (groupes de formation), filtered here: the matrix is per trainee.
  const teams = useApiQuery('teams', (api) => api.get<ListTeamsReply>('/api/teams'));
  const [team, setTeam] = useState('');
  const members = new Set(teams.data?.items.find((g) => g.id === team)?.traineeIds ?? []);
  const rows = (m.data?.rows ?? []).filter((r) => !team || members.has(r.traineeId));
  return (
    <div className="page">
      <PageHeader title={t('assessment.matrix.title')} description={t('assessment.matrix.description')} />
      <div className="toolbar">
        <ProgressFilters onApply={setFilter} />
        {(teams.data?.items.length ?? 0) > 0 && <GroupFilter id="matrix-team" groups={teams.data!.items} value={team} onChange={setTeam} />}
      </div>
      <ErrorAlert error={m.error} onRetry={m.reload} />
      {m.data && (
        <div className="card table-wrap">
          <table className="table matrix">
            <caption className="visually-hidden">{t('assessment.matrix.title')}</caption>
            <thead>
              <tr>
                <th>{t('assessment.col.trainee')}</th>
                <th className="num">{t('assessment.progress.evaluated')}</th>
                {m.data.competencies.map((c) => (
                  <th key={c.id} className="num" title={c.label}>
                    <span className="muted small">{c.block}</span>
                    <br />
                    {c.label}
                  </th>
                ))}
                <th className="num">{t('assessment.score.overall')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.traineeId}>
                  <td>
                    <Link to={`/progression?stagiaire=${r.traineeId}`}>{r.traineeName}</Link>
                  </td>
                  <td className="num">{r.evaluated}</td>
                  {m.data!.competencies.map((c) => (
                    <td key={c.id} className={`num ${band(r.cells[c.id] ?? null)}`}>
                      {scoreText(r.cells[c.id], i18n.language)}
                    </td>
                  ))}
                  <td className={`num ${band(r.overall)}`}>
                    <strong>{scoreText(r.overall, i18n.language)}</strong>
                  </td>
                </tr>
              ))}
              {rows.length === 0 && (
                <tr>
                  <td colSpan={m.data.competencies.length + 3} className="empty-state">
                    {t('assessment.matrix.empty')}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
