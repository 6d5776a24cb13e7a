import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { gridProblems, type ScorecardGrid } from '@passerelle/shared/scoring';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { useFormat } from '@kit/format.ts';
import { useApiQuery } from '@kit/useApiQuery.ts';
import { useSession } from '@kit/session.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { assessmentApi } from './api.ts';

type Criterion = ScorecardGrid['competencies'][number]['criteria'][number];

/**
 * Scorecards: every version, and "copy and adapt" (labels, weights, critical items, thresholds)
 * saved as a new version of the same grid or as a new grid. A version is never edited: the
 * evaluations made with it keep it.
 */
export function ScorecardsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { api } = useSession();
  const [generation, setGeneration] = useState(0);
  const list = useApiQuery(`scorecards:${generation}`, (c) => assessmentApi(c).allScorecards());
  const [selected, setSelected] = useState('');
  const current = useApiQuery(`scorecard:${selected}`, (c) => (selected ? assessmentApi(c).scorecard(selected) : Promise.resolve(null)));
  const [draft, setDraft] = useState<{ name: string; description: string; grid: ScorecardGrid; sameFamily: boolean } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const editCriterion = (cid: string, patch: Partial<Criterion>) =>
    setDraft((d) => d && { ...d, grid: { ...d.grid, competencies: d.grid.competencies.map((c) => ({ ...c, criteria: c.criteria.map((k) => (k.id === cid ? { ...k, ...patch } : k)) })) } });
  const editCompetency = (id: string, weight: number) => setDraft((d) => d && { ...d, grid: { ...d.grid, competencies: d.grid.competencies.map((c) => (c.id === id ? { ...c, weight } : c)) } });
  const problems = draft ? gridProblems(draft.grid) : [];

  async function save() {
    if (!draft || !current.data) return;
    setError(null);
    try {
      const created = await assessmentApi(api).copyScorecard(current.data.id, draft);
      setSaved(t('assessment.grids.saved', { name: created.name, version: created.version }));
      setDraft(null);
      setSelected(created.id);
      setGeneration((g) => g + 1);
    } catch (err) {
      setError(err);
    }
  }

  const grid = draft?.grid ?? current.data?.grid;
  return (
    <div className="page">
      <PageHeader title={t('assessment.grids.title')} description={t('assessment.grids.description')} />
      <div className="card">
        <DataTable
          caption={t('assessment.grids.title')}
          columns={[t('assessment.grids.name'), { label: t('assessment.grids.version'), className: 'num' }, t('assessment.col.date')]}
          actions
          items={list.data}
          row={(s) => (
            <tr key={s.id}>
              <td>
                {s.name} {s.isDefault && <span className="badge badge-info">{t('assessment.grids.default')}</span>} {s.latest && <span className="badge badge-success">{t('assessment.grids.latest')}</span>}
              </td>
              <td className="num">v{s.version}</td>
              <td>{fmt.dateTime(s.createdAt)}</td>
              <td className="actions">
                <button type="button" className="btn btn-sm" onClick={() => (setSelected(s.id), setDraft(null), setSaved(null))}>
                  {t('assessment.list.open')}
                </button>
              </td>
            </tr>
          )}
        />
      </div>
      <ErrorAlert error={error ?? list.error ?? current.error} />
      {saved && (
        <div className="alert alert-success" role="status">
          {saved}
        </div>
      )}
      {current.data && grid && (
        <section className="card">
          <div className="card-header">
            <h2>
              {current.data.name} v{current.data.version}
            </h2>
            {!draft && (
              <button type="button" className="btn btn-sm btn-primary" onClick={() => setDraft({ name: current.data!.name, description: current.data!.description, grid: structuredClone(current.data!.grid), sameFamily: true })}>
                {t('assessment.grids.copy')}
              </button>
            )}
          </div>
          <div className="card-body stack">
            {draft && (
              <div className="form-grid">
                <div className="field">
                  <label htmlFor="g-name">{t('assessment.grids.name')}</label>
                  <input id="g-name" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
                </div>
                <div className="field">
                  <label htmlFor="g-pass">{t('assessment.grids.passScore')}</label>
                  <input id="g-pass" type="number" step="0.25" value={draft.grid.passScore} onChange={(e) => setDraft({ ...draft, grid: { ...draft.grid, passScore: Number(e.target.value) } })} />
                </div>
                <div className="field">
                  <label htmlFor="g-cap">{t('assessment.grids.cap')}</label>
                  <input id="g-cap" type="number" step="0.25" value={draft.grid.critical.cap} onChange={(e) => setDraft({ ...draft, grid: { ...draft.grid, critical: { ...draft.grid.critical, cap: Number(e.target.value) } } })} />
                </div>
                <div className="field">
                  <label htmlFor="g-family">{t('assessment.grids.saveAs')}</label>
                  <select id="g-family" value={draft.sameFamily ? 'version' : 'grid'} onChange={(e) => setDraft({ ...draft, sameFamily: e.target.value === 'version' })}>
                    <option value="version">{t('assessment.grids.newVersion')}</option>
                    <option value="grid">{t('assessment.grids.newGrid')}</option>
                  </select>
                </div>
              </div>
            )}
            {grid.competencies.map((c) => (
              <fieldset key={c.id} className="scorecard-competency">
                <legend>
                  {c.block} — {c.label}{' '}
                  {draft ? (
                    <input className="weight-input" type="number" min="0.5" step="0.5" aria-label={t('assessment.grids.weightOf', { name: c.label })} value={c.weight} onChange={(e) => editCompetency(c.id, Number(e.target.value))} />
                  ) : (
                    <span className="muted small">({t('assessment.score.weight', { weight: c.weight })})</span>
                  )}
                </legend>
                <table className="table">
                  <tbody>
                    {c.criteria.map((k) => (
                      <tr key={k.id}>
                        <td>{draft ? <input aria-label={t('assessment.grids.labelOf', { id: k.id })} value={k.label} onChange={(e) => editCriterion(k.id, { label: e.target.value })} /> : k.label}</td>
                        <td className="num">
                          {draft ? <input className="weight-input" type="number" min="0.5" step="0.5" aria-label={t('assessment.grids.weightOf', { name: k.label })} value={k.weight} onChange={(e) => editCriterion(k.id, { weight: Number(e.target.value) })} /> : `×${k.weight}`}
                        </td>
                        <td>
                          <label className="checkbox">
                            <input type="checkbox" checked={k.critical} disabled={!draft} onChange={(e) => editCriterion(k.id, { critical: e.target.checked, allowNa: e.target.checked ? false : k.allowNa })} />
                            {t('assessment.score.critical')}
                          </label>
                        </td>
                        <td>
                          <label className="checkbox">
                            <input type="checkbox" checked={k.allowNa} disabled={!draft || k.critical} onChange={(e) => editCriterion(k.id, { allowNa: e.target.checked })} />
                            {t('assessment.score.na')}
                          </label>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </fieldset>
            ))}
            {draft && (
              <>
                {problems.length > 0 && (
                  <div className="alert alert-warning">
                    <ul>
                      {problems.map((p) => (
                        <li key={p}>{p}</li>
                      ))}
                    </ul>
                  </div>
                )}
                <div className="form-actions">
                  <button type="button" className="btn" onClick={() => setDraft(null)}>
                    {t('assessment.grids.cancel')}
                  </button>
                  <button type="button" className="btn btn-primary" disabled={problems.length > 0 || !draft.name.trim()} onClick={() => void save()}>
                    {t('assessment.grids.save')}
                  </button>
                </div>
              </>
            )}
          </div>
        </section>
      )}
    </div>
  );
}
