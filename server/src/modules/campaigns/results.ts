import type { ContactResult } from '@passerelle/shared/api/campaigns';
import type { Db } from '../../db/database.ts';
import { openPii } from '../contacts/pii.ts';
import { VaultError, type DataKey, type Vault } from '../vault/vault.ts';
import type { CampaignRecord } from './repository.ts';
import { dialerResultsSource, type ResultsSource } from './results-source.ts';

const PAGE = 1000;

/** Per-contact results for the partner: their own reference (decrypted in memory) and the outcome. */
export class ResultsService {
  constructor(
    private readonly db: Db,
    private readonly vault: Vault,
    private readonly source: ResultsSource = dialerResultsSource,
  ) {}

  counts(campaign: CampaignRecord): Promise<Record<string, number>> {
    if (campaign.purgedAt) return Promise.resolve(campaign.purgeCounts ?? { contacts: 0 });
    return this.source.statusCounts(this.db, campaign.id);
  }

  /** One page in contact-id order; `next` is the cursor of the following page (null at the end). */
  async page(campaignId: string, after: string | null, limit = PAGE): Promise<{ items: ContactResult[]; next: string | null }> {
    let q = this.db.selectFrom('contacts').select(['id', 'piiCipher']).where('campaignId', '=', campaignId).orderBy('id').limit(limit);
    if (after) q = q.where('id', '>', after);
    const contacts = await q.execute();
    if (contacts.length === 0) return { items: [], next: null };
    const key = await this.keyOrNull(campaignId);
    const outcomes = await this.source.outcomes(this.db, campaignId, contacts.map((c) => c.id));
    const items = contacts.map((c): ContactResult => {
      const o = outcomes.get(c.id);
      return {
        contactId: c.id,
        customerRef: key ? (openPii(this.vault, key, c.piiCipher).customerRef ?? null) : null,
        status: o?.status ?? 'pending',
        attempts: o?.attempts ?? 0,
        lastOutcome: o?.lastOutcome ?? null,
        lastAttemptAt: o?.lastAttemptAt?.toISOString() ?? null,
        appointmentAt: o?.appointmentAt?.toISOString() ?? null,
        appointmentPlace: o?.appointmentPlace ?? null,
        callbackAt: o?.callbackAt?.toISOString() ?? null,
        optedOut: o?.optedOut ?? false,
      };
    });
    return { items, next: contacts.length === limit ? contacts[contacts.length - 1]!.id : null };
  }

  /** Every result of the campaign, page by page (for streamed exports). */
  async *all(campaignId: string): AsyncGenerator<ContactResult> {
    let after: string | null = null;
    do {
      const { items, next }: { items: ContactResult[]; next: string | null } = await this.page(campaignId, after);
      yield* items;
      after = next;
    } while (after);
  }

  /** A shredded campaign still lists its outcomes, without references. */
  private async keyOrNull(campaignId: string): Promise<DataKey | null> {
    try {
      return await this.vault.keyFor(campaignId);
    } catch (err) {
      if (err instanceof VaultError && err.reason === 'key_destroyed') return null;
      throw err;
    }
  }
}
