import { useTranslation } from 'react-i18next';
import type { Script } from '@passerelle/shared/api/campaign-engine';

const ORDER: Record<Script['steps'][number]['kind'], number> = { legal_opening: 0, recording_notice: 1, step: 2, closing: 3 };

/** The legal opening and the recording notice first, then the campaign's steps in their order. */
export function orderedSteps(script: Script): Script['steps'] {
  const legal = script.steps.filter((s) => s.kind === 'legal_opening' || s.kind === 'recording_notice').sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
  return [...legal, ...script.steps.filter((s) => s.kind !== 'legal_opening' && s.kind !== 'recording_notice')];
}

/** The script as steps to tick; objections with their suggested answers below. */
export function ScriptSteps({ script, ticked, onTick }: { script: Script; ticked: ReadonlySet<number>; onTick: (index: number, on: boolean) => void }) {
  const { t } = useTranslation();
  const steps = orderedSteps(script);
  return (
    <section className="card script" aria-labelledby="script-title">
      <div className="card-header">
        <h2 id="script-title">{t('script.title')}</h2>
        <span className="muted">{t('script.progress', { done: ticked.size, total: steps.length })}</span>
      </div>
      <ol className="card-body script-steps">
        {steps.map((step, i) => {
          const mandatory = step.kind === 'legal_opening' || step.kind === 'recording_notice';
          return (
            <li key={`${i}-${step.title}`} className={ticked.has(i) ? 'done' : undefined}>
              <label className="script-step">
                <input type="checkbox" checked={ticked.has(i)} onChange={(e) => onTick(i, e.target.checked)} />
                <span>
                  <span className="script-step-title">
                    {step.title}
                    {mandatory && <span className="badge badge-warning">{t('script.mandatory')}</span>}
                    {ticked.has(i) && <span className="visually-hidden"> — {t('script.doneLabel')}</span>}
                  </span>
                  <span className="script-step-text">{step.text}</span>
                </span>
              </label>
            </li>
          );
        })}
      </ol>
      {script.objections.length > 0 && (
        <div className="card-body objections">
          <h3 className="subhead">{t('script.objections')}</h3>
          {script.objections.map((o) => (
            <details key={o.objection}>
              <summary>{o.objection}</summary>
              <p>{o.answer}</p>
            </details>
          ))}
        </div>
      )}
    </section>
  );
}
