import { sql } from 'kysely';
import type { CampaignCounters } from '@passerelle/shared/events';
import { reachedOutcomes } from '@passerelle/shared/api/campaign-engine';
import type { Db } from '../../db/database.ts';

/** A remaining count that took this long is reused for REUSE_FACTOR times as long (capped). */
const SLOW_COUNT_MS = 20;
const REUSE_FACTOR = 1000;
const MAX_REUSE_MS = 300_000;

/**
 * Live counters of running and paused campaigns (today = the site's calendar day), read by every
 * sweep and every supervisor snapshot. Attempts of the day are read each time; the remaining
 * count scans the campaign's dialing rows (a million on a large file: 0.13–0.2 s of a core, which
 * delays every offer meanwhile), so a slow count is reused for a while — two to three minutes for a
 * million, when a floor finishes a few hundred of its contacts at most — and concurrent readers
 * share one count. Small campaigns are counted exactly every time.
 */
export class CampaignCounterBoard {
  private remaining = new Map<string, { value: number; until: number }>();
  private counting: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly siteTimeZone: string,
  ) {}

  async list(): Promise<CampaignCounters[]> {
    const rows = await sql<{ campaignId: string; name: string; status: string; attempted: number; reached: number; appointments: number }>`
      with c as (select id, name, status from campaigns where status in ('running', 'paused')),
      today as (select (date_trunc('day', now() at time zone ${this.siteTimeZone}) at time zone ${this.siteTimeZone}) as t0)
      select c.id as campaign_id, c.name, c.status,
        (select count(*) from call_attempts a, today where a.campaign_id = c.id and a.dialed_at >= today.t0)::int as attempted,
        (select count(*) from call_attempts a, today where a.campaign_id = c.id and a.dialed_at >= today.t0 and a.outcome = any(${[...reachedOutcomes]}::text[]))::int as reached,
        (select count(*) from call_attempts a where a.campaign_id = c.id and a.outcome = 'appointment')::int as appointments
      from c order by c.name`.execute(this.db);
    const remaining = await this.remainingOf(rows.rows.map((r) => r.campaignId));
    return rows.rows.map((r) => ({
      campaignId: r.campaignId,
      name: r.name,
      status: r.status,
      remaining: remaining.get(r.campaignId) ?? 0,
      attemptedToday: r.attempted,
      reachedToday: r.reached,
      contactRate: r.attempted ? Math.round((r.reached / r.attempted) * 1000) / 1000 : 0,
      appointments: r.appointments,
    }));
  }

  private async remainingOf(campaignIds: string[]): Promise<Map<string, number>> {
    // Readers arriving during a count wait for it rather than scanning again.
    while (this.counting) await this.counting;
    const due = campaignIds.filter((id) => (this.remaining.get(id)?.until ?? 0) <= Date.now());
    if (due.length) {
      this.counting = this.count(due).finally(() => (this.counting = null));
      await this.counting;
    }
    return new Map(campaignIds.map((id) => [id, this.remaining.get(id)?.value ?? 0]));
  }

  private async count(campaignIds: string[]): Promise<void> {
    const started = performance.now();
    const rows = await sql<{ campaignId: string; remaining: number }>`
      select campaign_id, count(*)::int as remaining from contacts_dialing
      where campaign_id = any(${campaignIds}::uuid[]) and status in ('pending', 'locked', 'callback') group by campaign_id`.execute(this.db);
    const ms = performance.now() - started;
    const until = Date.now() + (ms < SLOW_COUNT_MS ? 0 : Math.min(MAX_REUSE_MS, ms * REUSE_FACTOR));
    const counted = new Map(rows.rows.map((r) => [r.campaignId, r.remaining]));
    for (const id of campaignIds) this.remaining.set(id, { value: counted.get(id) ?? 0, until });
  }
}
