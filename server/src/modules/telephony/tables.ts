import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type RecordingStatus = 'pending' | 'processing' | 'stored' | 'none' | 'failed';

export interface SipCallsTable {
  callId: string;
  attemptId: string;
  campaignId: string;
  agentUserId: string;
  fromTag: string | null;
  toTag: string | null;
  resolvedAt: CreatedAt;
  ringingAt: Timestamp | null;
  answeredAt: Timestamp | null;
  endedAt: Timestamp | null;
  sipCode: number | null;
  cause: string | null;
  hungUpBy: string | null;
  terminatedBy: string | null;
  recordingStatus: Generated<RecordingStatus>;
}

/** A campaign call's recording (attempt, campaign, partner) or a practice call's (none of them). */
export interface RecordingsTable {
  id: Generated<string>;
  attemptId: string | null;
  practiceCallId: string | null;
  callId: string;
  campaignId: string | null;
  partnerId: string | null;
  path: string;
  mimeType: string;
  sizeBytes: number;
  durationMs: number;
  peaks: Json<number[]>;
  sha256: string;
  createdAt: CreatedAt;
  deleteAfter: Timestamp;
}

export interface TelephonyTables {
  sipCalls: SipCallsTable;
  recordings: RecordingsTable;
}
