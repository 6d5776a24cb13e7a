import { sql } from 'kysely';
import {
  campaignStatusTransitions,
  settingsErrors,
  type AppointmentSlot,
  type CampaignEngine,
  type CampaignStatus,
  type createSlotsBody,
  type updateDialerSettingsBody,
} from '@passerelle/shared/api/campaign-engine';
import type { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import type { AuditService } from '../audit/service.ts';
import { loadCampaign, type CampaignContext } from '../dialer/attempts.ts';
import type { DialerService } from '../dialer/service.ts';
import type { DialerDb } from '../dialer/tables.ts';

type Actor = Parameters<AuditService['record']>[0];

/** Settings may change only while the campaign is not dialing. */
const EDITABLE: readonly CampaignStatus[] = ['draft', 'ready', 'paused'];

/**
 * The campaign engine: dialing settings (validated against the law), the status machine
 * (each transition audited), trainee assignment and the partner's appointment slots.
 */
export class CampaignEngineService {
  private readonly ddb: DialerDb;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly dialer: DialerService,
  ) {
    this.ddb = db as unknown as DialerDb;
  }

  private async context(id: string): Promise<CampaignContext> {
    const c = await loadCampaign(this.db, id);
    if (!c || c.row.purgedAt) throw notFound('Campagne');
    return c;
  }

  async view(id: string): Promise<CampaignEngine> {
    const c = await this.context(id);
    const trainees = await this.db.selectFrom('campaignAgents').select('userId').where('campaignId', '=', id).orderBy('userId').execute();
    return {
      id: c.row.id,
      partnerId: c.row.partnerId,
      name: c.row.name,
      type: c.row.type,
      endedAt: c.row.endedAt?.toISOString() ?? null,
      status: c.row.status as CampaignStatus,
      ...c.settings,
      traineeIds: trainees.map((t) => t.userId),
    };
  }

  async updateSettings(actor: Actor, id: string, body: z.infer<typeof updateDialerSettingsBody>): Promise<CampaignEngine> {
    const c = await this.context(id);
    if (!EDITABLE.includes(c.row.status as CampaignStatus)) throw conflict('CAMPAIGN_NOT_EDITABLE', 'Mettez la campagne en pause pour modifier ses réglages.');
    const next = { ...c.settings, ...body };
    const errors = settingsErrors(c.row.type, next);
    if (errors.length) throw badRequest('INVALID_SETTINGS', errors.join(' '), { errors });
    await this.db.transaction().execute(async (trx) => {
      await (trx as unknown as DialerDb)
        .updateTable('campaigns')
        .set({
          dialingMode: next.dialingMode,
          startsOn: next.startsOn,
          endsOn: next.endsOn,
          windows: JSON.stringify(next.windows),
          retryRules: JSON.stringify(next.retryRules),
          callerId: next.callerId,
          requiredLanguage: next.requiredLanguage,
          script: JSON.stringify(next.script),
          dispositions: JSON.stringify(next.dispositions),
          wrapUpSeconds: next.wrapUpSeconds,
          offerTtlSeconds: next.offerTtlSeconds,
          countdownSeconds: next.countdownSeconds,
          updatedAt: new Date(),
        })
        .where('id', '=', id)
        .execute();
      await this.audit.record(actor, { action: 'campaign.settings_updated', targetType: 'campaign', targetId: id, details: { fields: Object.keys(body) } }, trx);
    });
    return this.view(id);
  }

  /** Moves the campaign along draft → ready → running ⇄ paused → finished → archived. */
  async transition(actor: Actor, id: string, to: CampaignStatus, reason?: string): Promise<CampaignEngine> {
    const c = await this.context(id);
    const from = c.row.status as CampaignStatus;
    if (!campaignStatusTransitions[from].includes(to)) {
      throw conflict('INVALID_CAMPAIGN_TRANSITION', `Passage impossible de « ${from} » à « ${to} ».`);
    }
    if (to === 'ready' || to === 'running') {
      const errors = settingsErrors(c.row.type, c.settings);
      if (!c.settings.callerId) errors.push('Le numéro présenté (caller ID) est obligatoire.');
      if (errors.length) throw badRequest('CAMPAIGN_NOT_READY', errors.join(' '), { errors });
    }
    await this.db.transaction().execute(async (trx) => {
      const moved = await (trx as unknown as DialerDb)
        .updateTable('campaigns')
        .set({
          status: to,
          updatedAt: new Date(),
          // Retention runs from the end of the campaign (vault's purge job reads ended_at).
          ...(to === 'finished' ? { endedAt: new Date() } : {}),
        })
        .where('id', '=', id)
        .where('status', '=', from)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) throw conflict('CAMPAIGN_CHANGED', 'La campagne vient d’être modifiée : rechargez.');
      await this.audit.record(actor, { action: 'campaign.status_changed', targetType: 'campaign', targetId: id, details: { from, to, ...(reason ? { reason } : {}) } }, trx);
    });
    if (from === 'running') await this.dialer.campaignStopped(id);
    if (to === 'running') await this.dialer.dispatch();
    await this.dialer.publishCounters();
    return this.view(id);
  }

  async assignTrainees(actor: Actor, id: string, traineeIds: string[]): Promise<CampaignEngine> {
    await this.context(id);
    const unique = [...new Set(traineeIds)];
    if (unique.length) {
      const found = await this.db.selectFrom('users').select('id').where('id', 'in', unique).where('role', '=', 'trainee').where('active', '=', true).execute();
      if (found.length !== unique.length) throw badRequest('NOT_TRAINEES', 'Seuls des conseillers (stagiaires) actifs peuvent être affectés.');
    }
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('campaignAgents').where('campaignId', '=', id).execute();
      if (unique.length) await trx.insertInto('campaignAgents').values(unique.map((userId) => ({ campaignId: id, userId }))).execute();
      await this.audit.record(actor, { action: 'campaign.trainees_assigned', targetType: 'campaign', targetId: id, details: { count: unique.length } }, trx);
    });
    return this.view(id);
  }

  async slots(id: string): Promise<AppointmentSlot[]> {
    const c = await this.context(id);
    const rows = await this.ddb
      .selectFrom('appointmentSlots')
      .selectAll()
      .where('partnerId', '=', c.row.partnerId)
      .where((eb) => eb.or([eb('campaignId', 'is', null), eb('campaignId', '=', id)]))
      .where('endsAt', '>', sql<Date>`now()`)
      .orderBy('startsAt')
      .execute();
    return rows.map((r) => ({ ...r, startsAt: r.startsAt.toISOString(), endsAt: r.endsAt.toISOString() }));
  }

  async addSlots(actor: Actor, id: string, body: z.infer<typeof createSlotsBody>): Promise<AppointmentSlot[]> {
    const c = await this.context(id);
    for (const s of body.slots) if (new Date(s.endsAt) <= new Date(s.startsAt)) throw badRequest('INVALID_SLOT', 'Un créneau doit finir après son début.');
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('appointmentSlots').values(body.slots.map((s) => ({ ...s, partnerId: c.row.partnerId, campaignId: id }))).execute();
      await this.audit.record(actor, { action: 'campaign.slots_added', targetType: 'campaign', targetId: id, details: { count: body.slots.length } }, trx);
    });
    return this.slots(id);
  }
}
