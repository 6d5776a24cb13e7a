import type { Db } from '../../db/database.ts';
import { loadCampaign, type CampaignContext, type Trx } from './attempts.ts';

/** How long a campaign context is reused before it is read again. */
const CAMPAIGN_CACHE_MS = 5_000;

/**
 * Campaign contexts (row, effective settings, version) kept briefly in memory: every offer needs
 * one. A copy is only a guess: the offer statement checks the campaign is still running at the
 * same version (`xmin`, which every update changes, on any instance), and on a mismatch the
 * copy is dropped and read again — so rules are never judged against a stale campaign.
 */
export class CampaignCache {
  private readonly entries = new Map<string, { until: number; ctx: Promise<CampaignContext | undefined> }>();

  constructor(
    private readonly db: Db,
    private readonly ttlMs = CAMPAIGN_CACHE_MS,
  ) {}

  get(id: string): Promise<CampaignContext | undefined> {
    const hit = this.entries.get(id);
    if (hit && hit.until > Date.now()) return hit.ctx;
    // Concurrent callers share one read.
    const ctx = loadCampaign(this.db, id);
    this.entries.set(id, { until: Date.now() + this.ttlMs, ctx });
    ctx.catch(() => {
      if (this.entries.get(id)?.ctx === ctx) this.entries.delete(id);
    });
    return ctx;
  }

  /** The context at `version` (as the caller's transaction sees the row): the copy, or a fresh read. */
  async at(trx: Trx | Db, id: string, version: string): Promise<CampaignContext | undefined> {
    const cached = await this.get(id);
    if (cached?.version === version) return cached;
    this.invalidate(id);
    return loadCampaign(trx, id);
  }

  invalidate(id: string): void {
    this.entries.delete(id);
  }
}
