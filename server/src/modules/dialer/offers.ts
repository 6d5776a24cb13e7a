import { sql } from 'kysely';
import type { MaskedCard } from '@passerelle/shared/masking';
import type { OfferPayload, OfferSlot } from '@passerelle/shared/events';
import type { Db } from '../../db/database.ts';
import { loadCampaign, type CampaignContext } from './attempts.ts';

export interface OfferAttempt {
  id: string;
  contactId: string;
  agentUserId: string;
  callbackId: string | null;
  token: string;
  expiresAt: Date;
}
type CardRow = { masked: MaskedCard; territory: string; timeZone: string; language: string };

/**
 * Builds what a trainee sees for an offer (and, after a reload, for the call it led to). The contact comes ONLY from the masked `contact_cards`
 * view; attempts, slots and callbacks carry no personal data.
 */
export class OfferBuilder {
  constructor(private readonly db: Db) {}

  async build(attemptId: string): Promise<OfferPayload | null> {
    const attempt = await this.db
      .selectFrom('callAttempts as a')
      .innerJoin('callTokens as t', 't.attemptId', 'a.id')
      .select(['a.id', 'a.campaignId', 'a.contactId', 'a.agentUserId', 'a.callbackId', 'a.status', 't.token', 't.expiresAt'])
      .where('a.id', '=', attemptId)
      .executeTakeFirst();
    // Open attempts only: during the call and wrap-up the console still needs the card, script and form.
    if (!attempt || !attempt.contactId || attempt.status === 'closed') return null;
    const campaign = await loadCampaign(this.db, attempt.campaignId);
    return campaign ? this.payload(campaign, { ...attempt, contactId: attempt.contactId }) : null;
  }

  /** The payload of an attempt whose campaign is at hand (one statement). */
  async payload(campaign: CampaignContext, attempt: OfferAttempt): Promise<OfferPayload | null> {
    const res = await sql<OfferParts>`select ${offerColumns(campaign, attempt)}`.execute(this.db);
    return offerPayload(campaign, attempt, res.rows[0]!);
  }
}

/** What `offerColumns` selects. */
export type OfferParts = { card: CardRow | null; history: { at: string; outcome: string | null }[]; callback: { dueAt: string; reservedTo: string | null } | null; slots: OfferSlot[] };

/**
 * The select list of an offer's parts — card, earlier outcomes, callback and free slots — to run
 * alone or inside the statement that creates the attempt. The card comes from the masked
 * `contact_cards` view only.
 */
export function offerColumns(campaign: CampaignContext, attempt: OfferAttempt) {
  const appointment = campaign.row.type === 'appointment';
  return sql`(select json_build_object('masked', masked, 'territory', territory, 'timeZone', time_zone, 'language', language) from contact_cards where id = ${attempt.contactId}) as card,
        (select coalesce(json_agg(json_build_object('at', coalesce(h.dialed_at, h.offered_at), 'outcome', h.outcome) order by h.offered_at desc), '[]')
          from (select offered_at, dialed_at, outcome from call_attempts where contact_id = ${attempt.contactId} and id <> ${attempt.id} and dialed_at is not null
            order by offered_at desc limit 20) h) as history,
        (select json_build_object('dueAt', due_at, 'reservedTo', reserved_to) from callbacks where id = ${attempt.callbackId}) as callback,
        (select coalesce(json_agg(json_build_object('id', s.id, 'startsAt', s.starts_at, 'endsAt', s.ends_at, 'channel', s.channel, 'place', s.place) order by s.starts_at), '[]')
          from (select * from appointment_slots where ${appointment}::boolean and partner_id = ${campaign.row.partnerId}
            and (campaign_id is null or campaign_id = ${campaign.row.id}) and starts_at > now() and booked < capacity order by starts_at limit 50) s) as slots`;
}

/** The offer as the trainee's console receives it, from its parts; null when the contact is gone. */
export function offerPayload(campaign: CampaignContext, attempt: OfferAttempt, parts: OfferParts): OfferPayload | null {
  const { card, history, callback, slots } = parts;
  if (!card) return null;
  const s = campaign.settings;
  const iso = (t: string) => new Date(t).toISOString();
  return {
    attemptId: attempt.id,
    token: attempt.token,
    expiresAt: attempt.expiresAt.toISOString(),
    mode: s.dialingMode,
    countdownSeconds: s.countdownSeconds,
    campaign: { id: campaign.row.id, name: campaign.row.name, type: campaign.row.type, partnerName: campaign.partnerName },
    card: { ...card.masked, territory: card.territory, timeZone: card.timeZone, language: card.language },
    script: s.script,
    dispositions: s.dispositions,
    slots: slots.map((x) => ({ ...x, startsAt: iso(x.startsAt), endsAt: iso(x.endsAt) })),
    history: history.map((h) => ({ at: iso(h.at), outcome: h.outcome })),
    callback: callback ? { dueAt: iso(callback.dueAt), reservedToMe: callback.reservedTo === attempt.agentUserId } : null,
  };
}
