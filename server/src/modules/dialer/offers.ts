import type { OfferPayload } from '@passerelle/shared/events';
import type { Db } from '../../db/database.ts';
import { AgentContactRepository, agentDb } from '../contacts/agent-repository.ts';
import { loadCampaign } from './attempts.ts';

/**
 * Builds what a trainee sees for an offer (and, after a reload, for the call it led to). The contact comes ONLY from the masked `contact_cards`
 * view (AgentContactRepository); attempts, slots and callbacks carry no personal data.
 */
export class OfferBuilder {
  private readonly cards: AgentContactRepository;

  constructor(private readonly db: Db) {
    this.cards = new AgentContactRepository(agentDb(db));
  }

  async build(attemptId: string): Promise<OfferPayload | null> {
    const attempt = await this.db
      .selectFrom('callAttempts as a')
      .innerJoin('callTokens as t', 't.attemptId', 'a.id')
      .select(['a.id', 'a.campaignId', 'a.contactId', 'a.agentUserId', 'a.callbackId', 'a.status', 't.token', 't.expiresAt'])
      .where('a.id', '=', attemptId)
      .executeTakeFirst();
    // Open attempts only: during the call and wrap-up the console still needs the card, script and form.
    if (!attempt || !attempt.contactId || attempt.status === 'closed') return null;
    const [campaign, card, history, callback] = await Promise.all([
      loadCampaign(this.db, attempt.campaignId),
      this.cards.card(attempt.contactId),
      this.db
        .selectFrom('callAttempts')
        .select(['offeredAt', 'dialedAt', 'outcome'])
        .where('contactId', '=', attempt.contactId)
        .where('id', '!=', attempt.id)
        .where('dialedAt', 'is not', null)
        .orderBy('offeredAt', 'desc')
        .limit(20)
        .execute(),
      attempt.callbackId ? this.db.selectFrom('callbacks').select(['dueAt', 'reservedTo']).where('id', '=', attempt.callbackId).executeTakeFirst() : undefined,
    ]);
    if (!campaign || !card) return null;
    const partner = await this.db.selectFrom('partners').select('name').where('id', '=', campaign.row.partnerId).executeTakeFirst();
    const s = campaign.settings;
    const slots =
      campaign.row.type === 'appointment'
        ? await this.db
            .selectFrom('appointmentSlots')
            .select(['id', 'startsAt', 'endsAt', 'channel', 'place'])
            .where('partnerId', '=', campaign.row.partnerId)
            .where((eb) => eb.or([eb('campaignId', 'is', null), eb('campaignId', '=', campaign.row.id)]))
            .where('startsAt', '>', new Date())
            .whereRef('booked', '<', 'capacity')
            .orderBy('startsAt')
            .limit(50)
            .execute()
        : [];
    return {
      attemptId: attempt.id,
      token: attempt.token,
      expiresAt: attempt.expiresAt.toISOString(),
      mode: s.dialingMode,
      countdownSeconds: s.countdownSeconds,
      campaign: { id: campaign.row.id, name: campaign.row.name, type: campaign.row.type, partnerName: partner?.name ?? '' },
      card: { ...card.masked, territory: card.territory, timeZone: card.timeZone, language: card.language },
      script: s.script,
      dispositions: s.dispositions,
      slots: slots.map((x) => ({ id: x.id, startsAt: x.startsAt.toISOString(), endsAt: x.endsAt.toISOString(), channel: x.channel, place: x.place })),
      history: history.map((h) => ({ at: (h.dialedAt ?? h.offeredAt).toISOString(), outcome: h.outcome })),
      callback: callback ? { dueAt: callback.dueAt.toISOString(), reservedToMe: callback.reservedTo === attempt.agentUserId } : null,
    };
  }
}
