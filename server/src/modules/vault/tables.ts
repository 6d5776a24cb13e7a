import type { ColumnType } from 'kysely';

export interface VaultKeysTable {
  /** Purpose of the key, e.g. "practice-recordings". */
  name: string;
  /** The data key wrapped by the master key (vault blob). */
  wrappedKey: Buffer;
  masterKeyId: string;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
}

export interface VaultTables {
  vaultKeys: VaultKeysTable;
}
