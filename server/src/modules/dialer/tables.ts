import type { ColumnType, Generated, Kysely, Selectable } from 'kysely';
import type { CallingWindow, RetryRules } from '@passerelle/shared/calling-rules';
import type { DispositionCode, Script } from '@passerelle/shared/api/campaign-engine';
import type { AgentStatus, PauseReason } from '@passerelle/shared/agent-state';
import type { Database } from '../../db/database.ts';
import type { CampaignsTable } from '../campaigns/tables.ts';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

/** Columns the dialer adds to `campaigns` (migration 0200); null JSON means the type's defaults. */
export interface CampaignDialingColumns {
  dialingMode: Generated<'preview' | 'progressive'>;
  startsOn: ColumnType<string | null, string | null, string | null>;
  endsOn: ColumnType<string | null, string | null, string | null>;
  windows: Json<CallingWindow[]> | null;
  retryRules: Json<RetryRules> | null;
  callerId: string | null;
  requiredLanguage: string | null;
  script: Json<Script> | null;
  dispositions: Json<DispositionCode[]> | null;
  wrapUpSeconds: Generated<number>;
  offerTtlSeconds: Generated<number>;
  countdownSeconds: Generated<number>;
}

export interface CampaignAgentsTable {
  campaignId: string;
  userId: string;
  createdAt: CreatedAt;
}

export interface AppointmentSlotsTable {
  id: Generated<string>;
  partnerId: string;
  campaignId: string | null;
  startsAt: Timestamp;
  endsAt: Timestamp;
  channel: 'onsite' | 'phone' | 'video';
  place: string | null;
  capacity: Generated<number>;
  booked: Generated<number>;
  createdAt: CreatedAt;
}

export type DialingStatus = 'pending' | 'locked' | 'callback' | 'done' | 'refused' | 'opted_out' | 'exhausted' | 'blocked' | 'ineligible' | 'expired';

export interface ContactsDialingTable {
  contactId: string;
  campaignId: string;
  partnerId: string;
  phoneHmac: string;
  territory: string;
  timeZone: string;
  language: string;
  status: Generated<DialingStatus>;
  nextAt: Generated<Date>;
  priority: Generated<number>;
  attempts: Generated<number>;
  lastOutcome: string | null;
  lastAttemptAt: Timestamp | null;
  lockedBy: string | null;
  lockExpiresAt: Timestamp | null;
  attemptId: string | null;
  updatedAt: Generated<Date>;
}

/** The callee zones present in a campaign (written with its dialing rows). */
export interface CampaignZonesTable {
  campaignId: string;
  territory: string;
  timeZone: string;
}

export type AttemptStatus = 'offered' | 'dialing' | 'ringing' | 'in_call' | 'wrap_up' | 'closed';

export interface CallAttemptsTable {
  id: Generated<string>;
  campaignId: string;
  contactId: string | null;
  partnerId: string;
  phoneHmac: string | null;
  agentUserId: string;
  callbackId: string | null;
  status: Generated<AttemptStatus>;
  offeredAt: Generated<Date>;
  dialedAt: Timestamp | null;
  ringingAt: Timestamp | null;
  answeredAt: Timestamp | null;
  endedAt: Timestamp | null;
  wrapUpDeadline: Timestamp | null;
  closedAt: Timestamp | null;
  ringSeconds: number | null;
  talkSeconds: number | null;
  sipCode: number | null;
  cause: string | null;
  hungUpBy: string | null;
  outcome: string | null;
  disposition: Json<Record<string, unknown>> | null;
}

export interface CallTokensTable {
  token: string;
  agentUserId: string;
  attemptId: string;
  expiresAt: Timestamp;
  usedAt: Timestamp | null;
  createdAt: CreatedAt;
}

export interface CallbacksTable {
  id: Generated<string>;
  campaignId: string;
  contactId: string;
  dueAt: Timestamp;
  reservedTo: string | null;
  createdByAttempt: string;
  status: Generated<'pending' | 'taken' | 'done' | 'cancelled'>;
  createdAt: CreatedAt;
  updatedAt: Generated<Date>;
}

export interface AgentPresenceTable {
  userId: string;
  status: AgentStatus;
  reason: PauseReason | null;
  pendingPause: PauseReason | null;
  since: Generated<Date>;
  attemptId: string | null;
  campaignId: string | null;
  lastHeartbeatAt: Generated<Date>;
}

export interface AgentStateLogTable {
  id: Generated<number>;
  userId: string;
  status: AgentStatus;
  reason: PauseReason | null;
  startedAt: Timestamp;
  endedAt: Timestamp | null;
  cause: string | null;
}

export interface DialerTables {
  campaignAgents: CampaignAgentsTable;
  appointmentSlots: AppointmentSlotsTable;
  contactsDialing: ContactsDialingTable;
  campaignZones: CampaignZonesTable;
  callAttempts: CallAttemptsTable;
  callTokens: CallTokensTable;
  callbacks: CallbacksTable;
  agentPresence: AgentPresenceTable;
  agentStateLog: AgentStateLogTable;
}

/** The database as the dialer sees it: campaigns carry the dialing columns of migration 0200. */
export interface DialerDatabase extends Omit<Database, 'campaigns'> {
  campaigns: CampaignsTable & CampaignDialingColumns;
}
export type DialerDb = Kysely<DialerDatabase>;
export type CallAttemptRow = Selectable<CallAttemptsTable>;
