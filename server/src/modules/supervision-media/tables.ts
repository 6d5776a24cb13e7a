import type { ColumnType, Generated } from 'kysely';

export interface SupervisionSessionsTable {
  id: Generated<string>;
  attemptId: string;
  callId: string;
  agentUserId: string;
  supervisorUserId: string;
  kind: 'listen' | 'whisper';
  socketId: string;
  mediaTags: ColumnType<string[], string[] | undefined, string[]>;
  startedAt: ColumnType<Date, Date | string | undefined, never>;
  endedAt: ColumnType<Date | null, never, Date | string>;
  endReason: string | null;
}

export interface SupervisionTables {
  supervisionSessions: SupervisionSessionsTable;
}
