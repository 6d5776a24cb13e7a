import type { ClipboardEvent, DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { OfferPayload } from '@passerelle/shared/events';
import { useFormat } from '../../kit/format.ts';

const block = (e: ClipboardEvent | DragEvent) => e.preventDefault();

/**
 * The masked contact card: only what the campaign's masking policy lets through (the server
 * computed it). Copying is disabled here (no selection, copy/cut/drag refused): the trainee reads
 * the card, never carries its content away.
 */
export function ContactCard({ offer }: { offer: OfferPayload }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { card, campaign } = offer;
  const rows: [string, string | null][] = [
    [t('card.name'), card.name],
    [t('card.phone'), card.phone],
    [t('card.city'), card.city],
    [t('card.department'), card.department],
    [t('card.customerRef'), card.customerRef],
    ...Object.entries(card.extra),
  ];
  return (
    <section className="card contact-card" aria-labelledby="card-title">
      <div className="card-header">
        <h2 id="card-title">{t('card.title')}</h2>
        <span className="badge badge-info">{t(`campaignType.${campaign.type}`)}</span>
      </div>
      <div className="card-body">
        <p className="contact-campaign">
          <strong>{campaign.name}</strong>
          {campaign.partnerName && <span className="contact-partner"> · {campaign.partnerName}</span>}
          <span className="muted"> — {t(`purpose.${campaign.type}`)}</span>
        </p>
        <dl className="facts no-copy" data-testid="contact-card" onCopy={block} onCut={block} onDragStart={block}>
          {rows
            .filter(([, v]) => v)
            .map(([k, v]) => (
              <div className="fact" key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          <div className="fact">
            <dt>{t('card.territory')}</dt>
            <dd>
              {card.territory} · {card.timeZone}
            </dd>
          </div>
          <div className="fact">
            <dt>{t('card.language')}</dt>
            <dd>{card.language}</dd>
          </div>
        </dl>
        {offer.callback && (
          <p className="alert alert-info">
            {t(offer.callback.reservedToMe ? 'card.callbackMine' : 'card.callback', { at: fmt.dateTime(offer.callback.dueAt) })}
          </p>
        )}
        <h3 className="subhead">{t('card.history')}</h3>
        {offer.history.length === 0 ? (
          <p className="muted">{t('card.noHistory')}</p>
        ) : (
          <ul className="history">
            {offer.history.map((h) => (
              <li key={h.at}>
                {fmt.dateTime(h.at)} — {h.outcome ? t(`outcome.${h.outcome}`, { defaultValue: h.outcome }) : t('outcome.none')}
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
