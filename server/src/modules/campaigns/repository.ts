import { sql, type Transaction } from 'kysely';
import type { CampaignType } from '@passerelle/shared/api/campaigns';
import type { MaskingPolicy } from '@passerelle/shared/masking';
import type { Database, Db } from '../../db/database.ts';

type Executor = Db | Transaction<Database>;

const shellColumns = [
  'campaigns.id',
  'campaigns.partnerId',
  'campaigns.name',
  'campaigns.type',
  'campaigns.status',
  'campaigns.defaultRegion',
  'campaigns.maskingPolicy',
  'campaigns.retentionDays',
  'campaigns.legalBasisRequired',
  'campaigns.createdBy',
  'campaigns.createdAt',
  'campaigns.updatedAt',
  'campaigns.endedAt',
  'campaigns.purgedAt',
  'campaigns.purgeCounts',
] as const;

export interface CampaignFilter {
  /** Partner scope of the caller (null: staff, every partner). */
  scope: string | null;
  partnerId?: string;
  type?: CampaignType;
}

export interface NewCampaign {
  partnerId: string;
  name: string;
  type: CampaignType;
  defaultRegion: string;
  maskingPolicy: MaskingPolicy;
  retentionDays: number;
  legalBasisRequired: boolean;
  createdBy: string | null;
}

export type CampaignChanges = Partial<Omit<NewCampaign, 'partnerId' | 'createdBy'>>;

/** Campaign shell queries; every read applies the caller's partner scope. */
export class CampaignRepository {
  constructor(private readonly db: Db) {}

  private base(exec: Executor, scope: string | null) {
    let q = exec
      .selectFrom('campaigns')
      .select(shellColumns)
      .select((eb) =>
        eb.selectFrom('contacts').whereRef('contacts.campaignId', '=', 'campaigns.id').select(sql<number>`count(*)::int`.as('n')).as('contactCount'),
      );
    if (scope !== null) q = q.where('campaigns.partnerId', '=', scope);
    return q;
  }

  list(filter: CampaignFilter) {
    let q = this.base(this.db, filter.scope);
    if (filter.partnerId) q = q.where('campaigns.partnerId', '=', filter.partnerId);
    if (filter.type) q = q.where('campaigns.type', '=', filter.type);
    return q.orderBy('campaigns.createdAt', 'desc').execute();
  }

  get(id: string, scope: string | null, exec: Executor = this.db) {
    return this.base(exec, scope).where('campaigns.id', '=', id).executeTakeFirst();
  }

  async insert(trx: Transaction<Database>, c: NewCampaign): Promise<string> {
    const row = await trx
      .insertInto('campaigns')
      .values({ ...c, maskingPolicy: JSON.stringify(c.maskingPolicy) })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async update(trx: Transaction<Database>, id: string, changes: CampaignChanges): Promise<void> {
    const { maskingPolicy, ...rest } = changes;
    await trx
      .updateTable('campaigns')
      .set({ ...rest, ...(maskingPolicy ? { maskingPolicy: JSON.stringify(maskingPolicy) } : {}), updatedAt: new Date() })
      .where('id', '=', id)
      .execute();
  }

  /** Locks the campaign row for the rest of the transaction (changes that touch its contacts). */
  lock(trx: Transaction<Database>, id: string) {
    return trx.selectFrom('campaigns').select(['id', 'partnerId', 'type', 'purgedAt']).where('id', '=', id).forUpdate().executeTakeFirst();
  }

  async partnerExists(partnerId: string): Promise<boolean> {
    return (await this.db.selectFrom('partners').select('id').where('id', '=', partnerId).executeTakeFirst()) !== undefined;
  }
}

export type CampaignRecord = NonNullable<Awaited<ReturnType<CampaignRepository['get']>>>;
