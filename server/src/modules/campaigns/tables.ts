import type { ColumnType, Generated, Selectable } from 'kysely';
import type { MaskingPolicy } from '@passerelle/shared/masking';
import type { CampaignType } from '@passerelle/shared/api/campaigns';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

/** Counts recorded just before a campaign's contacts are purged. */
export interface PurgeCounts {
  contacts: number;
  [status: string]: number;
}

export interface CampaignsTable {
  id: Generated<string>;
  partnerId: string;
  name: string;
  type: CampaignType;
  /** The dialer owns the status machine; the shell only knows 'draft'. */
  status: Generated<string>;
  defaultRegion: string;
  maskingPolicy: Json<MaskingPolicy>;
  retentionDays: number;
  legalBasisRequired: boolean;
  createdBy: string | null;
  createdAt: CreatedAt;
  updatedAt: Generated<Date>;
  endedAt: Timestamp | null;
  purgedAt: Timestamp | null;
  purgeCounts: Json<PurgeCounts> | null;
}

export interface CampaignKeysTable {
  campaignId: string;
  /** The data key wrapped by the master key (vault blob); null once shredded. */
  wrappedKey: Buffer | null;
  masterKeyId: string;
  createdAt: CreatedAt;
  destroyedAt: Timestamp | null;
}

export interface CampaignTables {
  campaigns: CampaignsTable;
  campaignKeys: CampaignKeysTable;
}

export type CampaignRow = Selectable<CampaignsTable>;
