import type { ColumnType, Generated, Selectable } from 'kysely';
import type { ColumnMapping } from './mapping.ts';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export const IMPORT_STATUSES = [
  'uploaded', 'queued', 'processing', 'awaiting_confirmation', 'committing', 'completed', 'rejected', 'cancelled', 'failed',
] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export interface ImportsTable {
  id: string;
  campaignId: string;
  partnerId: string;
  uploadedBy: string | null;
  uploadedByKey: string | null;
  fileName: string;
  fileKind: 'csv' | 'xlsx';
  fileSize: number;
  contentSha256: string;
  storagePath: string;
  fileKeyCipher: Buffer;
  encoding: string | null;
  delimiter: string | null;
  hasHeader: boolean;
  headers: Json<string[]>;
  preview: Json<string[][]>;
  headerSignature: string;
  suggestedMapping: Json<ColumnMapping>;
  mapping: Json<ColumnMapping> | null;
  acceptValidSubset: Generated<boolean>;
  status: ColumnType<ImportStatus, ImportStatus | undefined, ImportStatus>;
  rowsRead: Generated<number>;
  rowsAccepted: Generated<number>;
  rowsRejected: Generated<number>;
  rowsImported: Generated<number>;
  reasons: ColumnType<Record<string, number>, string | undefined, string>;
  errorCode: string | null;
  errorMessage: string | null;
  runs: Generated<number>;
  createdAt: CreatedAt;
  updatedAt: Generated<Date>;
  startedAt: Timestamp | null;
  finishedAt: Timestamp | null;
}

export interface ImportRejectsTable {
  importId: string;
  rowNo: number;
  reason: string;
  columnName: string | null;
  detail: string | null;
}

export interface ImportMappingsTable {
  partnerId: string;
  headerSignature: string;
  headers: Json<string[]>;
  mapping: Json<ColumnMapping>;
  updatedBy: string | null;
  updatedAt: Generated<Date>;
}

export interface ImportTables {
  imports: ImportsTable;
  importRejects: ImportRejectsTable;
  importMappings: ImportMappingsTable;
}

export type ImportRow = Selectable<ImportsTable>;
