import { sql } from 'kysely';
import type { Redis } from 'ioredis';
import { isWindowOpen, type CallingWindow } from '@passerelle/shared/calling-rules';
import type { Db } from '../../db/database.ts';

/** Skipped candidates one pop may discard before giving up (the caller refills or moves on). */
const MAX_SKIPPED_PER_POP = 50;
const POP_UNSKIPPED = `local skipped = 0
for _, key in ipairs(KEYS) do
  while true do
    local m = redis.call('zpopmin', key)
    if #m == 0 then break end
    if redis.call('exists', ARGV[1] .. m[1]) == 0 then return m[1] end
    skipped = skipped + 1
    if skipped >= tonumber(ARGV[2]) then return false end
  end
end
return false`;

export interface HopperCampaign {
  id: string;
  windows: CallingWindow[];
}

/**
 * The per-campaign, per-language hopper: a small Redis sorted set of contacts callable now,
 * refilled from Postgres (keys `<prefix>:dl:*`, apart from the BullMQ queue `<prefix>:dialer:*`). It is only a cache of candidates: a contact is held by its Postgres
 * lock, so a stale or lost hopper never causes a double assignment, and is rebuilt on the next refill.
 */
export class Hopper {
  constructor(
    private readonly db: Db,
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly size: number,
    /** See judgeCallable: the instant windows are judged at may be shifted in tests. */
    private readonly rulesOffsetMs = 0,
  ) {}

  key(campaignId: string, language: string) {
    return `${this.prefix}:dl:hopper:${campaignId}:${language}`;
  }

  /**
   * Takes the best candidate among the given languages (highest priority, earliest due), in one
   * round trip. Candidates for which `skipKey(candidate)` exists (this trainee skipped them
   * lately) are taken out too, as a pop would, but not returned.
   */
  async pop(campaignId: string, languages: readonly string[], skipKeyPrefix: string): Promise<string | null> {
    const keys = languages.map((lang) => this.key(campaignId, lang));
    return (await this.redis.eval(POP_UNSKIPPED, keys.length, ...keys, skipKeyPrefix, MAX_SKIPPED_PER_POP)) as string | null;
  }

  /**
   * Refills from Postgres with contacts callable now: pending, due, and in a zone/territory whose
   * window is open. Serialized per campaign by a short Redis lock; returns how many were added,
   * or 'busy' when another caller is refilling.
   */
  async refill(campaign: HopperCampaign, languages: readonly string[] | null = null): Promise<number | 'busy'> {
    const lockKey = `${this.prefix}:dl:refill:${campaign.id}`;
    if ((await this.redis.set(lockKey, '1', 'PX', 5000, 'NX')) !== 'OK') return 'busy';
    try {
      const now = new Date();
      const zones = await this.zonesOf(campaign.id);
      const rulesNow = new Date(now.getTime() + this.rulesOffsetMs);
      const open = zones.filter((z) => isWindowOpen(rulesNow, { territory: z.territory, timeZone: z.timeZone, windows: campaign.windows, skipHolidays: true }));
      if (open.length === 0) {
        await this.redis.del(`${this.prefix}:dl:plentiful`);
        return 0;
      }
      const pairs = open.map((z) => `${z.territory}|${z.timeZone}`);
      let query = this.db
        .selectFrom('contactsDialing')
        .select(['contactId', 'language', 'priority', 'nextAt'])
        .where('campaignId', '=', campaign.id)
        .where('status', '=', 'pending')
        .where('nextAt', '<=', now)
        .where(sql<boolean>`territory || '|' || time_zone = any(${pairs}::text[])`)
        .orderBy('priority', 'desc')
        .orderBy('nextAt')
        .limit(this.size);
      if (languages) query = query.where('language', 'in', [...languages]);
      const rows = await query.execute();
      if (rows.length < this.size) await this.redis.del(`${this.prefix}:dl:plentiful`);
      else await this.redis.set(`${this.prefix}:dl:plentiful`, '1', 'PX', 30_000);
      if (rows.length === 0) return 0;
      const pipeline = this.redis.pipeline();
      for (const r of rows) {
        // Lower score pops first: priority dominates, then the due time.
        pipeline.zadd(this.key(campaign.id, r.language), 'NX', -r.priority * 1e13 + r.nextAt.getTime(), r.contactId);
      }
      for (const lang of new Set(rows.map((r) => r.language))) pipeline.pexpire(this.key(campaign.id, lang), 60_000);
      await pipeline.exec();
      return rows.length;
    } finally {
      await this.redis.del(lockKey);
    }
  }

  /** The callee zones present in a campaign (recorded with its contacts' dialing rows). */
  private zonesOf(campaignId: string) {
    return this.db.selectFrom('campaignZones').select(['territory', 'timeZone']).where('campaignId', '=', campaignId).execute();
  }

  /** Whether the last refills found more callable contacts than a hopper holds (supply is plentiful). */
  async plentiful(): Promise<boolean> {
    return (await this.redis.exists(`${this.prefix}:dl:plentiful`)) === 1;
  }

  /** Drops a campaign's hoppers (paused or finished campaigns stop offering at once). */
  async clear(campaignId: string): Promise<void> {
    const keys = await this.redis.keys(`${this.prefix}:dl:hopper:${campaignId}:*`);
    if (keys.length) await this.redis.del(...keys);
  }
}
