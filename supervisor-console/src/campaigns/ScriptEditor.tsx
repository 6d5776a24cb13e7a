import { useTranslation } from 'react-i18next';
import { scriptStepKinds, type Script } from '@passerelle/shared/api/campaign-engine';

type Step = Script['steps'][number];

/** Ordered script steps (legal opening and recording notice required) and objection answers. */
export function ScriptEditor({ script, onChange }: { script: Script; onChange: (s: Script) => void }) {
  const { t } = useTranslation();
  const steps = script.steps;
  const setStep = (i: number, s: Step) => onChange({ ...script, steps: steps.map((x, j) => (j === i ? s : x)) });
  const move = (i: number, d: -1 | 1) => {
    const next = [...steps];
    const [s] = next.splice(i, 1);
    next.splice(i + d, 0, s!);
    onChange({ ...script, steps: next });
  };
  const missing = (['legal_opening', 'recording_notice'] as const).filter((k) => !steps.some((s) => s.kind === k));
  return (
    <div className="campaign-section">
      {missing.length > 0 && (
        <p className="alert alert-warning" role="alert">
          {t('campaign.script.missing', { kinds: missing.map((k) => t(`campaign.script.kind.${k}`)).join(', ') })}
        </p>
      )}
      <ol className="stack">
        {steps.map((s, i) => (
          <li key={i} className="step-row">
            <div className="field">
              <label htmlFor={`step-kind-${i}`}>{t('campaign.script.kindLabel')}</label>
              <select id={`step-kind-${i}`} value={s.kind} onChange={(e) => setStep(i, { ...s, kind: e.target.value as Step['kind'] })}>
                {scriptStepKinds.map((k) => (
                  <option key={k} value={k}>
                    {t(`campaign.script.kind.${k}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`step-title-${i}`}>{t('campaign.script.title')}</label>
              <input id={`step-title-${i}`} value={s.title} maxLength={120} onChange={(e) => setStep(i, { ...s, title: e.target.value })} />
            </div>
            <div className="field grow">
              <label htmlFor={`step-text-${i}`}>{t('campaign.script.text')}</label>
              <textarea id={`step-text-${i}`} value={s.text} maxLength={4000} onChange={(e) => setStep(i, { ...s, text: e.target.value })} />
            </div>
            <div className="btn-row">
              <button type="button" className="btn btn-sm btn-ghost" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('campaign.script.up', { n: i + 1 })}>
                ↑
              </button>
              <button type="button" className="btn btn-sm btn-ghost" disabled={i === steps.length - 1} onClick={() => move(i, 1)} aria-label={t('campaign.script.down', { n: i + 1 })}>
                ↓
              </button>
              <button type="button" className="btn btn-sm btn-ghost" onClick={() => onChange({ ...script, steps: steps.filter((_, j) => j !== i) })}>
                {t('campaign.remove')}
              </button>
            </div>
          </li>
        ))}
      </ol>
      <button type="button" className="btn btn-sm" onClick={() => onChange({ ...script, steps: [...steps, { kind: 'step', title: '', text: '' }] })}>
        {t('campaign.script.addStep')}
      </button>
      <h3 className="h3">{t('campaign.script.objections')}</h3>
      {script.objections.map((o, i) => (
        <div key={i} className="step-row">
          <div className="field">
            <label htmlFor={`obj-${i}`}>{t('campaign.script.objection')}</label>
            <input
              id={`obj-${i}`}
              value={o.objection}
              onChange={(e) => onChange({ ...script, objections: script.objections.map((x, j) => (j === i ? { ...x, objection: e.target.value } : x)) })}
            />
          </div>
          <div className="field grow">
            <label htmlFor={`ans-${i}`}>{t('campaign.script.answer')}</label>
            <textarea
              id={`ans-${i}`}
              value={o.answer}
              onChange={(e) => onChange({ ...script, objections: script.objections.map((x, j) => (j === i ? { ...x, answer: e.target.value } : x)) })}
            />
          </div>
          <button type="button" className="btn btn-sm btn-ghost" onClick={() => onChange({ ...script, objections: script.objections.filter((_, j) => j !== i) })}>
            {t('campaign.remove')}
          </button>
        </div>
      ))}
      <button type="button" className="btn btn-sm" onClick={() => onChange({ ...script, objections: [...script.objections, { objection: '', answer: '' }] })}>
        {t('campaign.script.addObjection')}
      </button>
    </div>
  );
}
