import type { ColumnType, Generated } from 'kysely';

export interface AuditLogTable {
  id: Generated<number>;
  at: ColumnType<Date, Date, never>;
  actorUserId: string | null;
  actorRole: string | null;
  /** Partner on whose behalf the actor acted (API keys, partner users). */
  actorPartnerId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  details: ColumnType<Record<string, unknown>, string, never>;
  prevHash: string;
  hash: string;
}

export interface AuditTables {
  auditLog: AuditLogTable;
}
