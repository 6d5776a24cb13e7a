import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { AuditActor, AuditService } from '../audit/service.ts';
import type { Vault } from '../vault/vault.ts';
import { dialerResultsSource, type ResultsSource } from '../campaigns/results-source.ts';

export interface RetentionDeps {
  db: Db;
  vault: Vault;
  audit: AuditService;
  source?: ResultsSource;
}

const SYSTEM: AuditActor = { userId: null, role: 'system' };

/**
 * Campaigns whose retention period is over. The period runs from the campaign's end (`ended_at`)
 * or, while it has none, from its creation; a running or paused campaign is never purged.
 */
export async function expiredCampaigns(db: Db, now = new Date()): Promise<string[]> {
  const rows = await db
    .selectFrom('campaigns')
    .select('id')
    .where('purgedAt', 'is', null)
    .where('status', 'not in', ['running', 'paused'])
    .where(sql<boolean>`coalesce(ended_at, created_at) + make_interval(days => retention_days) <= ${now}`)
    .orderBy('createdAt')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Crypto-shreds a campaign (its data key is destroyed) and deletes its contacts, in one
 * transaction with its audit entry. The counts per status are kept on the campaign first.
 * Returns false when the campaign was already purged.
 */
export async function purgeCampaign(
  deps: RetentionDeps,
  campaignId: string,
  by: { actor: AuditActor; reason: string } = { actor: SYSTEM, reason: 'retention' },
): Promise<boolean> {
  const source = deps.source ?? dialerResultsSource;
  return deps.db.transaction().execute(async (trx) => {
    const campaign = await trx.selectFrom('campaigns').select(['id', 'partnerId', 'purgedAt', 'retentionDays']).where('id', '=', campaignId).forUpdate().executeTakeFirst();
    if (!campaign || campaign.purgedAt) return false;
    const counts = await source.statusCounts(trx, campaignId);
    await deps.vault.shred(campaignId, trx);
    // Attempts are working records and stay (their contact link is nulled by the FK);
    // the number's hash goes with the contact.
    await trx.updateTable('callAttempts').set({ phoneHmac: null }).where('campaignId', '=', campaignId).execute();
    const deleted = await trx.deleteFrom('contacts').where('campaignId', '=', campaignId).executeTakeFirst();
    await trx.updateTable('campaigns').set({ purgedAt: new Date(), purgeCounts: JSON.stringify(counts), updatedAt: new Date() }).where('id', '=', campaignId).execute();
    await deps.audit.record(
      { ...by.actor, partnerId: by.actor.partnerId ?? campaign.partnerId },
      {
        action: 'campaign.purge',
        targetType: 'campaign',
        targetId: campaignId,
        details: { reason: by.reason, retentionDays: campaign.retentionDays, deletedContacts: Number(deleted.numDeletedRows), counts },
      },
      trx,
    );
    return true;
  });
}

/** One retention sweep: purges every expired campaign; one failure does not stop the others. */
export async function runRetention(deps: RetentionDeps, log: { warn: (o: object, m: string) => void }, now = new Date()): Promise<string[]> {
  const purged: string[] = [];
  for (const id of await expiredCampaigns(deps.db, now)) {
    try {
      if (await purgeCampaign(deps, id)) purged.push(id);
    } catch (err) {
      log.warn({ campaignId: id, err: (err as Error).message }, 'retention purge failed');
    }
  }
  return purged;
}
