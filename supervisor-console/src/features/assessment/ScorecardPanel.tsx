import { useTranslation } from 'react-i18next';
import { scoreEvaluation, type Answers, type ScorecardGrid } from '@passerelle/shared/scoring';
import { scoreText } from './api.ts';

interface Props {
  grid: ScorecardGrid;
  answers: Answers;
  commentFields: Record<string, string>;
  readOnly: boolean;
  onAnswer: (criterionId: string, value: number | 'na') => void;
  onCommentField: (id: string, value: string) => void;
}

/** The grid beside the player: a radio group per criterion, live weighted score and cap. */
export function ScorecardPanel({ grid, answers, commentFields, readOnly, onAnswer, onCommentField }: Props) {
  const { t, i18n } = useTranslation();
  const result = scoreEvaluation(grid, answers);
  const max = Math.max(...grid.scale.map((l) => l.value));
  return (
    <div className="scorecard">
      <div className="scorecard-total" aria-live="polite">
        <span>
          {t('assessment.score.overall')} <strong data-testid="overall-score">{scoreText(result.overall, i18n.language)}</strong> / {max}
        </span>
        {result.passed !== null && <span className={`badge ${result.passed ? 'badge-success' : 'badge-warning'}`}>{result.passed ? t('assessment.score.passed') : t('assessment.score.notPassed')}</span>}
        {result.capped && <span className="badge badge-danger">{t('assessment.score.capped')}</span>}
        {!result.complete && <span className="muted small">{t('assessment.score.missing', { count: result.missing.length })}</span>}
      </div>
      {result.criticalFailures.length > 0 && (
        <div className="alert alert-error" role="alert">
          {t('assessment.score.criticalFailure', { cap: scoreText(grid.critical.cap, i18n.language) })}
        </div>
      )}
      {grid.blocks.map((b) => (
        <section key={b.code} className="scorecard-block">
          <h3 className="h3">
            {b.code} — {b.label}
          </h3>
          {grid.competencies
            .filter((c) => c.block === b.code)
            .map((c) => {
              const cr = result.competencies.find((x) => x.id === c.id);
              return (
                <fieldset key={c.id} className="scorecard-competency">
                  <legend>
                    {c.label} <span className="muted small">({t('assessment.score.weight', { weight: c.weight })})</span>{' '}
                    <strong className="scorecard-competency-score">{scoreText(cr?.score, i18n.language)}</strong>
                  </legend>
                  {c.criteria.map((k) => {
                    const value = answers[k.id];
                    const descriptor = typeof value === 'number' ? (k.descriptors[String(value)] ?? grid.scale.find((l) => l.value === value)?.descriptor) : null;
                    return (
                      <div key={k.id} className="criterion" role="radiogroup" aria-label={k.label}>
                        <div className="criterion-head">
                          <span className="criterion-label">{k.label}</span>
                          {k.critical && <span className="badge badge-danger">{t('assessment.score.critical')}</span>}
                          <span className="muted small">×{k.weight}</span>
                        </div>
                        {k.description && <div className="muted small">{k.description}</div>}
                        <div className="criterion-levels">
                          {grid.scale.map((l) => (
                            <label key={l.value} className={`level${value === l.value ? ' level-on' : ''}`} title={k.descriptors[String(l.value)] ?? l.descriptor}>
                              <input type="radio" name={k.id} value={l.value} checked={value === l.value} disabled={readOnly} onChange={() => onAnswer(k.id, l.value)} />
                              <span>
                                {l.value} · {l.label}
                              </span>
                            </label>
                          ))}
                          {k.allowNa && (
                            <label className={`level${value === 'na' ? ' level-on' : ''}`}>
                              <input type="radio" name={k.id} value="na" checked={value === 'na'} disabled={readOnly} onChange={() => onAnswer(k.id, 'na')} />
                              <span>{t('assessment.score.na')}</span>
                            </label>
                          )}
                        </div>
                        {descriptor && <div className="criterion-descriptor small">{descriptor}</div>}
                      </div>
                    );
                  })}
                </fieldset>
              );
            })}
        </section>
      ))}
      {grid.commentFields.map((f) => (
        <div key={f.id} className="field">
          <label htmlFor={`cf-${f.id}`}>{f.label}</label>
          <textarea id={`cf-${f.id}`} rows={2} value={commentFields[f.id] ?? ''} readOnly={readOnly} onChange={(e) => onCommentField(f.id, e.target.value)} />
        </div>
      ))}
    </div>
  );
}
