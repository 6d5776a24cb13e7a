import { useTranslation } from 'react-i18next';
import type { ScenarioCard } from './api.ts';

/** A scenario card as the trainer sees it: context, the customer's role to play, objectives, pitfalls. */
export function ScenarioCardView({ card, className = '' }: { card: ScenarioCard; className?: string }) {
  const { t } = useTranslation();
  return (
    <article className={`scenario ${className}`} aria-label={card.title}>
      <h2 className="h3">{card.title}</h2>
      <p>{card.context}</p>
      <p>
        <strong>{t('assessment.practice.customerRole')}</strong> {card.customerRole}
      </p>
      <strong className="small">{t('assessment.practice.objectives')}</strong>
      <ul>
        {card.objectives.map((o) => (
          <li key={o}>{o}</li>
        ))}
      </ul>
      <strong className="small">{t('assessment.practice.pitfalls')}</strong>
      <ul>
        {card.pitfalls.map((o) => (
          <li key={o}>{o}</li>
        ))}
      </ul>
    </article>
  );
}
