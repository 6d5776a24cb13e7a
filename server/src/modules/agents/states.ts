import { sql, type RawBuilder, type Transaction } from 'kysely';
import { commitWithoutFlushWait, prepared } from '../../db/prepared.ts';
import { transition, type AgentEvent, type AgentState } from '@passerelle/shared/agent-state';
import type { AgentView } from '@passerelle/shared/events';
import type { Database, Db } from '../../db/database.ts';
import { conflict } from '../../lib/errors.ts';

type Trx = Transaction<Database>;

export interface AgentRecord extends AgentState {
  userId: string;
  displayName: string;
  since: Date;
  attemptId: string | null;
  campaignId: string | null;
  lastHeartbeatAt: Date;
}

export const toView = (a: AgentRecord): AgentView => ({
  userId: a.userId,
  displayName: a.displayName,
  status: a.status,
  reason: a.reason,
  pendingPause: a.pendingPause,
  since: a.since.toISOString(),
  attemptId: a.attemptId,
  campaignId: a.campaignId,
});

/**
 * The agent record's columns, prefixed `agent_`, for any read joining `agent_presence p` and
 * `users u` (raw SQL: these reads run on every state change, where the builder's CPU showed).
 */
export const agentColumns = sql`p.user_id as agent_user_id, u.display_name as agent_display_name, p.status as agent_status, p.reason as agent_reason,
  p.pending_pause as agent_pending_pause, p.since as agent_since, p.attempt_id as agent_attempt_id, p.campaign_id as agent_campaign_id,
  p.last_heartbeat_at as agent_last_heartbeat_at`;

/** What `agentColumns` reads. */
export interface AgentColumns {
  agentUserId: string;
  agentDisplayName: string;
  agentStatus: AgentRecord['status'];
  agentReason: AgentRecord['reason'];
  agentPendingPause: AgentRecord['pendingPause'];
  agentSince: Date;
  agentAttemptId: string | null;
  agentCampaignId: string | null;
  agentLastHeartbeatAt: Date;
}

export const agentFrom = (r: AgentColumns): AgentRecord => ({
  userId: r.agentUserId,
  displayName: r.agentDisplayName,
  status: r.agentStatus,
  reason: r.agentReason,
  pendingPause: r.agentPendingPause,
  since: r.agentSince,
  attemptId: r.agentAttemptId,
  campaignId: r.agentCampaignId,
  lastHeartbeatAt: r.agentLastHeartbeatAt,
});

const agentRead = sql`select ${agentColumns} from agent_presence p join users u on u.id = p.user_id`;

/**
 * Persists the agent state machine (shared/src/agent-state.ts): the current state in
 * `agent_presence`, every state with its start and end in `agent_state_log` (working time).
 * Callers pass their transaction so the state moves atomically with the attempt it concerns.
 */
export class AgentStates {
  constructor(private readonly db: Db) {}

  /** Current state, locked for update inside the transaction (a row is created on first use). */
  async lock(trx: Trx, userId: string): Promise<AgentRecord> {
    const read = async () => (await sql<AgentColumns>`${prepared('agent_lock')} ${agentRead} where p.user_id = ${userId} for update of p`.execute(trx)).rows.map(agentFrom)[0];
    let row = await read();
    if (!row) {
      await trx.insertInto('agentPresence').values({ userId, status: 'offline', reason: null, pendingPause: null, attemptId: null, campaignId: null }).onConflict((oc) => oc.column('userId').doNothing()).execute();
      row = await read();
    }
    if (!row) throw new Error(`unknown agent ${userId}`);
    return row;
  }

  async get(userId: string): Promise<AgentRecord | undefined> {
    return (await sql<AgentColumns>`${prepared('agent_get')} ${agentRead} where p.user_id = ${userId}`.execute(this.db)).rows.map(agentFrom)[0];
  }

  async list(): Promise<AgentRecord[]> {
    return (await sql<AgentColumns>`${agentRead} order by u.display_name`.execute(this.db)).rows.map(agentFrom);
  }

  /**
   * Applies an event; throws 409 INVALID_TRANSITION when the machine refuses it. `link` sets the
   * attempt/campaign the agent works on (kept while holding a contact, cleared otherwise).
   */
  async apply(trx: Trx, current: AgentRecord, event: AgentEvent, opts: ApplyOptions = {}): Promise<AgentRecord> {
    const step = planState(current, event, opts);
    await sql`${prepared('agent_write')} select ${step.write}`.execute(trx);
    return step.next;
  }

  /**
   * Applies an event in one statement, outside any transaction, if the agent is still in
   * `current` (checked under the row lock; `since` at the millisecond a JavaScript date keeps);
   * null when it moved meanwhile — the caller then takes the locked path. For the frequent
   * console actions that touch nothing but the agent's state; committed without waiting for the
   * WAL flush (a PostgreSQL crash may forget the last moments of states, never reorder them).
   * `also` adds a read to the same statement (what the caller would otherwise ask next), returned
   * as `row`.
   */
  async applyIfCurrent<R = Record<string, never>>(
    current: AgentRecord,
    event: AgentEvent,
    opts: ApplyOptions = {},
    also?: (next: AgentRecord) => RawBuilder<R>,
  ): Promise<{ next: AgentRecord; row: R } | null> {
    const step = planState(current, event, opts);
    const res = await sql<R>`${prepared('agent_write_if')} with cur as (${stillAsRead(current)})
      select ${step.write} as written, ${commitWithoutFlushWait} as async_commit ${also ? sql`, r.* from cur, lateral (${also(step.next)}) r` : sql`from cur`}`.execute(this.db);
    return res.rows.length ? { next: step.next, row: res.rows[0]! } : null;
  }

  async heartbeat(userId: string): Promise<void> {
    await this.db.updateTable('agentPresence').set({ lastHeartbeatAt: sql`now()` }).where('userId', '=', userId).execute();
  }
}

/**
 * The agent's row locked if it is still in `current`'s state (`since` at the millisecond a
 * JavaScript date keeps) and `andIf` holds (e.g. an earlier row of the statement was locked
 * first, to keep a lock order); no row otherwise.
 */
export const stillAsRead = (current: AgentRecord, andIf: RawBuilder<boolean> = sql<boolean>`true`) =>
  sql`select 1 from agent_presence where user_id = ${current.userId} and status = ${current.status} and reason is not distinct from ${current.reason}
    and pending_pause is not distinct from ${current.pendingPause} and attempt_id is not distinct from ${current.attemptId}::uuid
    and date_trunc('milliseconds', since) = ${current.since} and ${andIf} for update`;

export interface ApplyOptions {
  cause?: string;
  link?: { attemptId: string; campaignId: string } | null;
  now?: Date;
}

/**
 * The state an event leads to, and the SQL expression that persists it (migration 0507: the
 * current state, and when it changed the log entries), to run alone or inside a larger statement.
 */
export function planState(current: AgentRecord, event: AgentEvent, opts: ApplyOptions = {}): { next: AgentRecord; write: RawBuilder<unknown> } {
  const result = transition(current, event);
  if (!result.ok) throw conflict('INVALID_TRANSITION', `Action impossible dans l’état actuel (${current.status}).`);
  const next = result.state;
  const now = opts.now ?? new Date();
  const changed = next.status !== current.status || next.reason !== current.reason;
  const holding = next.status !== 'ready' && next.status !== 'paused' && next.status !== 'offline';
  const link = opts.link !== undefined ? opts.link : holding ? { attemptId: current.attemptId, campaignId: current.campaignId } : null;
  const since = changed ? now : current.since;
  const attemptId = link?.attemptId ?? null;
  const campaignId = link?.campaignId ?? null;
  // Any action from the console proves it alive.
  const heartbeat = event.type === 'login' || event.type === 'ready';
  const write = sql`agent_state_write(${current.userId}::uuid, ${next.status}, ${next.reason}, ${next.pendingPause}, ${since}::timestamptz,
    ${attemptId}::uuid, ${campaignId}::uuid, ${heartbeat}, ${changed}, ${opts.cause ?? event.type}, ${now}::timestamptz)`;
  return { next: { ...current, ...next, since, attemptId, campaignId }, write };
}
