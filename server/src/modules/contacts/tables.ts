import type { ColumnType, Generated } from 'kysely';
import type { MaskedCard } from '@passerelle/shared/masking';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type LegalBasis = 'contract' | 'consent';

export interface ContactsTable {
  id: Generated<string>;
  campaignId: string;
  partnerId: string;
  importId: string | null;
  /** Hex HMAC-SHA256 of the primary E.164 number (LOOKUP_HMAC_KEY). */
  phoneHmac: string;
  /** Vault blob: JSON array of E.164 numbers, priority order. */
  phonesCipher: Buffer;
  /** Vault blob: JSON ContactPii. */
  piiCipher: Buffer;
  territory: string;
  timeZone: string;
  language: Generated<string>;
  legalBasis: LegalBasis | null;
  consentAt: Timestamp | null;
  consentSource: string | null;
  masked: Json<MaskedCard>;
  createdAt: CreatedAt;
}

/** The view agent-facing code reads: no ciphertext, no hash. */
export interface ContactCardsView {
  id: string;
  campaignId: string;
  partnerId: string;
  masked: MaskedCard;
  territory: string;
  timeZone: string;
  language: string;
}

export interface ContactTables {
  contacts: ContactsTable;
  contactCards: ContactCardsView;
}
