import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** Site-wide: numbers trainees must never reach (victims, civil parties). */
export interface JusticeBlocklistTable {
  id: Generated<string>;
  phoneHmac: string;
  reason: string;
  expiresAt: Timestamp | null;
  createdBy: string | null;
  createdAt: CreatedAt;
}

export interface PartnerSuppressionsTable {
  id: Generated<string>;
  partnerId: string;
  phoneHmac: string;
  createdBy: string | null;
  createdAt: CreatedAt;
}

export interface OptOutsTable {
  id: Generated<string>;
  partnerId: string;
  phoneHmac: string;
  source: string;
  createdAt: CreatedAt;
}

export interface BlocklistTables {
  justiceBlocklist: JusticeBlocklistTable;
  partnerSuppressions: PartnerSuppressionsTable;
  optOuts: OptOutsTable;
}
