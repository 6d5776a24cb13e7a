import { useTranslation } from 'react-i18next';
import { useFormat } from '@kit/format.ts';

/** How many calls ended with each outcome, as chips (nothing when there is none). */
export function OutcomeChips({ outcomes, label }: { outcomes: readonly [string, number][]; label: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  if (outcomes.length === 0) return null;
  return (
    <div className="chips" aria-label={label}>
      {outcomes.map(([o, n]) => (
        <span key={o} className="chip">
          {t(`outcome.${o}`, { defaultValue: o })} : {fmt.number(n)}
        </span>
      ))}
    </div>
  );
}
