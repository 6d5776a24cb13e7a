import { sql, type InsertQueryBuilder, type InsertResult, type QueryCreator, type RawBuilder } from 'kysely';
import type { Database, Db } from '../../db/database.ts';
import { prepared } from '../../db/prepared.ts';
import { retryOnDeadlock } from '../../db/retry.ts';
import { AgentStates, agentColumns, agentFrom, planState, stillAsRead, toView, type AgentColumns, type AgentRecord } from '../agents/states.ts';
import { openPhones } from '../contacts/pii.ts';
import { blockedSql } from '../blocklists/service.ts';
import { historyOf, historyRows, judgeCallable, loadCampaign, returnUntouched, type CampaignContext, type HistoryRows, type Trx } from './attempts.ts';
import type { AttemptStatus, CallAttemptRow } from './tables.ts';
import type { CampaignCache } from './campaign-cache.ts';
import { AfterCommit, emitAgentState, liveAttempt, rulesOffsetMs, type DialerDeps } from './deps.ts';
import { DialerService } from './service.ts';

export type ResolveRefusal = 'unknown' | 'used' | 'expired' | 'wrong_agent' | 'campaign_not_running' | 'outside_window' | 'blocked' | 'attempts_exhausted';
export type ResolveResult =
  | { ok: true; attemptId: string; campaignId: string; contactId: string; destinationE164: string; callerId: string | null }
  | { ok: false; reason: ResolveRefusal };

/**
 * Telephony's record of the SIP call, written by the accepted dial's own statement (no extra round
 * trip, one commit).
 */
export type OnDial = (db: QueryCreator<Database>, dial: { attemptId: string; campaignId: string }, onlyIf?: RawBuilder<boolean>) => InsertQueryBuilder<Database, 'sipCalls', InsertResult>;

export interface ResolveOptions {
  onDial?: OnDial;
  /** The dialer's campaign contexts: a copy at the campaign's current version saves a read. */
  campaigns?: CampaignCache;
}

const TOKEN_SHAPE = /^tk_[0-9A-Za-z]{32}$/;

/** A refusal before anything changed: the transaction rolls back, the refusal is audited alone. */
class Refusal extends Error {
  constructor(readonly reason: ResolveRefusal) {
    super(reason);
  }
}

/**
 * Everything a dial decision needs, in one statement: the token, its attempt, the trainee's state
 * and the contact's dialing row, locked in this order (the order of the OF list, as before: token,
 * attempt, trainee, contact), plus the contact, the campaign's status and whether the number is
 * blocked. No row: unknown token, an attempt without a contact, or a caller never seen by the dialer.
 */
async function loadDial(trx: Trx | Db, token: string, agentUserId: string, now: Date, lock = true) {
  // Raw SQL: on the dial's hot path, building this join with the query builder cost more CPU than running it.
  const res = await sql<DialRead>`${prepared('load_dial')}
    select a.id as attempt_id, a.campaign_id, a.contact_id, a.callback_id, a.status as attempt_status,
      t.agent_user_id as token_agent, t.used_at as token_used_at, t.expires_at as token_expires_at,
      ${agentColumns},
      d.attempts, d.partner_id, d.phone_hmac, d.time_zone, d.territory,
      c.legal_basis, c.phones_cipher, k.status as campaign_status, k.xmin::text as campaign_version,
      ${blockedSql(sql.ref('d.partner_id'), sql.ref('d.phone_hmac'))} as blocked,
      ${historyRows(sql.ref('d.partner_id'), sql.ref('d.phone_hmac'), now)} as history
    from call_tokens t
      join call_attempts a on a.id = t.attempt_id
      join agent_presence p on p.user_id = ${agentUserId}
      join users u on u.id = p.user_id
      join contacts_dialing d on d.contact_id = a.contact_id
      join contacts c on c.id = a.contact_id
      join campaigns k on k.id = a.campaign_id
    where t.token = ${token}
    ${lock ? sql`for update of t, a, p, d` : sql``}`.execute(trx);
  return res.rows[0];
}

/** What `loadDial` reads. */
interface DialRead extends AgentColumns {
  attemptId: string;
  campaignId: string;
  contactId: string | null;
  callbackId: string | null;
  attemptStatus: AttemptStatus;
  tokenAgent: string;
  tokenUsedAt: Date | null;
  tokenExpiresAt: Date;
  attempts: number;
  partnerId: string;
  phoneHmac: string;
  timeZone: string;
  territory: string;
  legalBasis: string | null;
  phonesCipher: Buffer;
  campaignStatus: string;
  campaignVersion: string;
  blocked: boolean;
  /** The number's attempts for the canvassing cap and quiet period (judged only for canvassing). */
  history: HistoryRows;
}

/** Why a token that loadDial did not find is refused (read without lock: nothing changes). */
async function refusalFor(trx: Trx, token: string, agentUserId: string, now: Date): Promise<ResolveRefusal> {
  const t = await trx.selectFrom('callTokens').select(['agentUserId', 'usedAt', 'expiresAt']).where('token', '=', token).executeTakeFirst();
  if (!t) return 'unknown';
  if (t.agentUserId !== agentUserId) return 'wrong_agent';
  return t.usedAt || t.expiresAt.getTime() > now.getTime() ? 'used' : 'expired';
}

type DialRow = NonNullable<Awaited<ReturnType<typeof loadDial>>>;

/**
 * The usual dial in two statements and no transaction: `loadDial` without locks, the rules in
 * TypeScript, then the dial statement, guarded: it writes only if the token, the attempt, the
 * trainee, the contact's lock and the campaign's version are all still as read, each checked under
 * its row lock in the locked path's order (token, attempt, trainee, contact). Null whenever
 * anything differs or a rule refuses: the locked transaction then decides, and refuses, as before.
 */
async function dialUnlocked(deps: DialerDeps, input: { token: string; agentUserId: string }, opts: ResolveOptions, now: Date, after: AfterCommit): Promise<ResolveResult | null> {
  const row = await loadDial(deps.db, input.token, input.agentUserId, now, false);
  if (!row || row.tokenAgent !== input.agentUserId || row.tokenUsedAt || row.tokenExpiresAt.getTime() <= now.getTime()) return null;
  if (row.attemptStatus !== 'offered' || row.agentStatus !== 'offered' || row.agentAttemptId !== row.attemptId || row.campaignStatus !== 'running') return null;
  const campaign = opts.campaigns ? await opts.campaigns.at(deps.db, row.campaignId, row.campaignVersion) : await loadCampaign(deps.db, row.campaignId);
  if (!campaign || campaign.version !== row.campaignVersion) return null;
  if ((campaign.row.legalBasisRequired && !row.legalBasis) || row.blocked) return null;
  if (judgeCallable(campaign, row, historyOf(campaign, row.history, now), now, { rulesOffsetMs: rulesOffsetMs(deps.config) })) return null;
  const guard = sql`t as (select 1 from call_tokens where token = ${input.token} and used_at is null and agent_user_id = ${input.agentUserId} for update),
      a as (select 1 from call_attempts where id = ${row.attemptId} and status = 'offered' and exists (select 1 from t) for update),
      p as (${stillAsRead(agentFrom(row), sql<boolean>`exists (select 1 from a)`)}),
      d as (select 1 from contacts_dialing where contact_id = ${row.contactId} and status = 'locked' and attempt_id = ${row.attemptId}
        and exists (select 1 from p) for update),
      ok as (select 1 from campaigns where id = ${row.campaignId} and status = 'running' and xmin::text = ${row.campaignVersion} and exists (select 1 from d))`;
  return dial(deps, deps.db, row, campaign, { ...input, now, after, onDial: opts.onDial, guard });
}

/**
 * The accepted dial's one statement: the token is used, the attempt counts from now on (caps,
 * max attempts), the contact's lock lasts until the call is closed, the trainee is dialling, and
 * telephony's record of the call is written. With a `guard` (CTEs ending in `ok`), only if `ok`
 * holds a row; the number is opened in memory only once that is known.
 */
async function dial(
  deps: DialerDeps,
  exec: Trx | Db,
  row: DialRow,
  campaign: CampaignContext,
  o: { token: string; agentUserId: string; now: Date; after: AfterCommit; onDial: OnDial | undefined; guard: RawBuilder<unknown> | null },
): Promise<ResolveResult | null> {
  const agent: AgentRecord | null = row.agentStatus === 'offered' ? agentFrom(row) : null;
  const step = agent ? planState(agent, { type: 'dial' }, { cause: 'token_resolved', now: o.now }) : null;
  const link = { attemptId: row.attemptId, campaignId: row.campaignId };
  const done = sql<boolean>`exists (select 1 from dialing)`;
  const lockUntil = new Date(o.now.getTime() + deps.config.DIALER_MAX_CALL_MIN * 60_000);
  const res = await sql<CallAttemptRow>`${prepared('dial')} with ${o.guard ? sql`${o.guard},` : sql``}
      dialing as (update call_attempts set status = 'dialing', dialed_at = ${o.now} where id = ${row.attemptId} ${o.guard ? sql`and exists (select 1 from ok)` : sql``} returning *),
      used as (update call_tokens set used_at = ${o.now} where token = ${o.token} and ${done}),
      counted as (update contacts_dialing set attempts = attempts + 1, lock_expires_at = ${lockUntil}, updated_at = ${o.now} where contact_id = ${row.contactId} and ${done})
      ${o.onDial ? sql`, on_dial as (${o.onDial(exec, link, done)})` : sql``}
    select dialing.* ${step ? sql`, ${step.write} as agent_written` : sql``} from dialing`.execute(exec);
  const dialed = res.rows[0];
  if (!dialed) return null;
  const key = await deps.vault.keyFor(campaign.row.id);
  const [destination] = openPhones(deps.vault, key, row.phonesCipher);
  if (!destination) throw new Error(`contact ${row.contactId} has no number`);
  if (step) o.after.add(() => emitAgentState(deps.realtime, toView(step.next)));
  o.after.add(() => deps.realtime.toSupervisors('attempt:update', liveAttempt(dialed)));
  return { ok: true, ...link, contactId: row.contactId!, destinationE164: destination, callerId: campaign.settings.callerId };
}

/**
 * Resolves a call token for the telephony layer (contract in BRIEF.md): single use (marked used
 * atomically), bound to its trainee, then the dial-time rules run again — campaign running,
 * calling window in the callee's zone, blocklists, caps and legal basis. Refusals are audited;
 * a refused dial gives the contact back untouched and the trainee returns to Ready.
 * The accepted dial is usually two statements (`dialUnlocked`); otherwise one locked transaction.
 */
export function resolveCallToken(deps: DialerDeps, input: { token: string; agentUserId: string }, opts: ResolveOptions = {}): Promise<ResolveResult> {
  return retryOnDeadlock(() => resolveOnce(deps, input, opts));
}

async function resolveOnce(deps: DialerDeps, input: { token: string; agentUserId: string }, opts: ResolveOptions): Promise<ResolveResult> {
  const agents = new AgentStates(deps.db);
  const after = new AfterCommit();
  const now = new Date();
  const audit = (reason: ResolveRefusal, attemptId: string | null, trx?: Trx) =>
    deps.audit.record(
      { userId: input.agentUserId, role: 'trainee', partnerId: null, ip: 'sip' },
      { action: 'call.dial_refused', targetType: 'call_attempt', ...(attemptId ? { targetId: attemptId } : {}), details: { reason } },
      trx,
    );
  try {
    if (!TOKEN_SHAPE.test(input.token)) throw new Refusal('unknown');
    const fast = await dialUnlocked(deps, input, opts, now, after);
    if (fast) {
      await after.run();
      return fast;
    }
    const result = await deps.db.transaction().execute(async (trx): Promise<ResolveResult> => {
      const row = await loadDial(trx, input.token, input.agentUserId, now);
      if (!row) throw new Refusal(await refusalFor(trx, input.token, input.agentUserId, now));
      if (row.tokenAgent !== input.agentUserId) throw new Refusal('wrong_agent');
      if (row.tokenUsedAt) throw new Refusal('used');
      if (row.tokenExpiresAt.getTime() <= now.getTime()) throw new Refusal('expired');
      if (row.attemptStatus !== 'offered') throw new Refusal('used');
      const attempt = { id: row.attemptId, campaignId: row.campaignId, contactId: row.contactId, callbackId: row.callbackId };
      const contactId = row.contactId!;
      const agent = agentFrom(row);
      const offered = agent.status === 'offered' ? agent : null;

      const refuse = async (reason: ResolveRefusal, contactUpdate?: () => Promise<void>) => {
        await trx.updateTable('callTokens').set({ usedAt: now }).where('token', '=', input.token).execute();
        await returnUntouched(trx, attempt, 'dial_refused', { reason });
        if (contactUpdate) await contactUpdate();
        if (offered) {
          const view = await agents.apply(trx, offered, { type: 'offer_returned' }, { cause: 'dial_refused', link: null });
          after.add(() => {
            deps.realtime.toAgent(view.userId, 'offer:withdrawn', { attemptId: attempt.id, reason });
            emitAgentState(deps.realtime, toView(view));
          });
        }
        await audit(reason, attempt.id, trx);
        return { ok: false as const, reason };
      };

      const campaign =
        row.campaignStatus !== 'running'
          ? undefined
          : opts.campaigns
            ? await opts.campaigns.at(trx, attempt.campaignId, row.campaignVersion)
            : await loadCampaign(trx, attempt.campaignId);
      if (!campaign) return refuse('campaign_not_running');
      const setStatus = (status: 'blocked' | 'ineligible') => () =>
        trx.updateTable('contactsDialing').set({ status, updatedAt: now }).where('contactId', '=', contactId).execute().then(() => undefined);
      if (campaign.row.legalBasisRequired && !row.legalBasis) return refuse('blocked', setStatus('ineligible'));
      if (row.blocked) return refuse('blocked', setStatus('blocked'));
      const notCallable = judgeCallable(campaign, row, historyOf(campaign, row.history, now), now, { rulesOffsetMs: rulesOffsetMs(deps.config) });
      if (notCallable) {
        return refuse(notCallable.reason === 'attempts_exhausted' ? 'attempts_exhausted' : 'outside_window', () =>
          trx
            .updateTable('contactsDialing')
            .set(notCallable.nextAt ? { nextAt: notCallable.nextAt } : { status: notCallable.reason === 'campaign_over' ? 'expired' : 'exhausted' })
            .where('contactId', '=', contactId)
            .where('status', 'in', ['pending', 'callback'])
            .execute()
            .then(() => undefined),
        );
      }

      const dialed = await dial(deps, trx, row, campaign, { ...input, now, after, onDial: opts.onDial, guard: null });
      if (!dialed) throw new Error(`attempt ${attempt.id} vanished while locked`);
      return dialed;
    });
    await after.run();
    // A refused dial put the trainee back to Ready: offer the next contact now rather than at the next sweep.
    if (!result.ok && deps.redis) await new DialerService({ ...deps, redis: deps.redis }).dispatch();
    return result;
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    await audit(err.reason, null);
    return { ok: false, reason: err.reason };
  }
}
