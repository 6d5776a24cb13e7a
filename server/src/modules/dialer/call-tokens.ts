import { sql, type InsertQueryBuilder, type InsertResult, type QueryCreator } from 'kysely';
import type { Database } from '../../db/database.ts';
import { AgentStates, planState, toView, type AgentRecord } from '../agents/states.ts';
import { openPhones } from '../contacts/pii.ts';
import { blockedSql } from '../blocklists/service.ts';
import { checkCallable, loadCampaign, returnUntouched, type Trx } from './attempts.ts';
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
export type OnDial = (db: QueryCreator<Database>, dial: { attemptId: string; campaignId: string }) => InsertQueryBuilder<Database, 'sipCalls', InsertResult>;

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
function loadDial(trx: Trx, token: string, agentUserId: string) {
  return trx
    .selectFrom('callTokens as t')
    .innerJoin('callAttempts as a', 'a.id', 't.attemptId')
    .innerJoin('agentPresence as p', (join) => join.on('p.userId', '=', agentUserId))
    .innerJoin('users as u', 'u.id', 'p.userId')
    .innerJoin('contactsDialing as d', 'd.contactId', 'a.contactId')
    .innerJoin('contacts as c', 'c.id', 'a.contactId')
    .innerJoin('campaigns as k', 'k.id', 'a.campaignId')
    .select(['a.id as attemptId', 'a.campaignId', 'a.contactId', 'a.callbackId', 'a.status as attemptStatus'])
    .select(['t.agentUserId as tokenAgent', 't.usedAt as tokenUsedAt', 't.expiresAt as tokenExpiresAt'])
    .select(['p.userId', 'u.displayName', 'p.status', 'p.reason', 'p.pendingPause', 'p.since', 'p.attemptId as agentAttemptId', 'p.campaignId as agentCampaignId', 'p.lastHeartbeatAt'])
    .select(['d.attempts', 'd.partnerId', 'd.phoneHmac', 'd.timeZone', 'd.territory'])
    .select(['c.legalBasis', 'c.phonesCipher', 'k.status as campaignStatus', sql<string>`k.xmin::text`.as('campaignVersion')])
    .select(blockedSql(sql.ref('d.partnerId'), sql.ref('d.phoneHmac')).as('blocked'))
    .where('t.token', '=', token)
    .forUpdate(['t', 'a', 'p', 'd'])
    .executeTakeFirst();
}

/** Why a token that loadDial did not find is refused (read without lock: nothing changes). */
async function refusalFor(trx: Trx, token: string, agentUserId: string, now: Date): Promise<ResolveRefusal> {
  const t = await trx.selectFrom('callTokens').select(['agentUserId', 'usedAt', 'expiresAt']).where('token', '=', token).executeTakeFirst();
  if (!t) return 'unknown';
  if (t.agentUserId !== agentUserId) return 'wrong_agent';
  return t.usedAt || t.expiresAt.getTime() > now.getTime() ? 'used' : 'expired';
}

/**
 * Resolves a call token for the telephony layer (contract in BRIEF.md): single use (marked used
 * atomically), bound to its trainee, then the dial-time rules run again — campaign running,
 * calling window in the callee's zone, blocklists, caps and legal basis. Refusals are audited;
 * a refused dial gives the contact back untouched and the trainee returns to Ready.
 * The accepted dial costs a constant few round trips: one locking read, one write.
 */
export async function resolveCallToken(deps: DialerDeps, input: { token: string; agentUserId: string }, opts: ResolveOptions = {}): Promise<ResolveResult> {
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
    const result = await deps.db.transaction().execute(async (trx): Promise<ResolveResult> => {
      const row = await loadDial(trx, input.token, input.agentUserId);
      if (!row) throw new Refusal(await refusalFor(trx, input.token, input.agentUserId, now));
      if (row.tokenAgent !== input.agentUserId) throw new Refusal('wrong_agent');
      if (row.tokenUsedAt) throw new Refusal('used');
      if (row.tokenExpiresAt.getTime() <= now.getTime()) throw new Refusal('expired');
      if (row.attemptStatus !== 'offered') throw new Refusal('used');
      const attempt = { id: row.attemptId, campaignId: row.campaignId, contactId: row.contactId, callbackId: row.callbackId };
      const contactId = row.contactId!;
      const { userId, displayName, status, reason, pendingPause, since, lastHeartbeatAt } = row;
      const agent: AgentRecord = { userId, displayName, status, reason, pendingPause, since, lastHeartbeatAt, attemptId: row.agentAttemptId, campaignId: row.agentCampaignId };
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
      const notCallable = await checkCallable(trx, campaign, row, now, { rulesOffsetMs: rulesOffsetMs(deps.config) });
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

      const key = await deps.vault.keyFor(campaign.row.id, trx);
      const [destination] = openPhones(deps.vault, key, row.phonesCipher);
      if (!destination) throw new Error(`contact ${contactId} has no number`);
      // One statement: the token is used, the attempt counts from now on (caps, max attempts),
      // the contact's lock lasts until the call is closed, and the trainee is dialling.
      const step = offered ? planState(offered, { type: 'dial' }, { cause: 'token_resolved', now }) : null;
      const dial = { attemptId: attempt.id, campaignId: attempt.campaignId };
      const dialed = await trx
        // Without a write to add, an unreferenced SELECT (PostgreSQL does not run it).
        .with('on_dial', (db) => (opts.onDial ? opts.onDial(db, dial) : db.selectNoFrom(sql<number>`1`.as('none'))))
        .with('used', (db) => db.updateTable('callTokens').set({ usedAt: now }).where('token', '=', input.token).returning('token'))
        .with('counted', (db) =>
          db
            .updateTable('contactsDialing')
            .set({ attempts: sql`attempts + 1`, lockExpiresAt: new Date(now.getTime() + deps.config.DIALER_MAX_CALL_MIN * 60_000), updatedAt: now })
            .where('contactId', '=', contactId)
            .returning('contactId'),
        )
        .with('dialing', (db) => db.updateTable('callAttempts').set({ status: 'dialing', dialedAt: now }).where('id', '=', attempt.id).returningAll())
        .selectFrom('dialing')
        .selectAll()
        .$if(step !== null, (q) => q.select(step!.write.as('agentWritten')))
        .executeTakeFirstOrThrow();
      if (step) after.add(() => emitAgentState(deps.realtime, toView(step.next)));
      after.add(() => deps.realtime.toSupervisors('attempt:update', liveAttempt(dialed)));
      return { ok: true, ...dial, contactId, destinationE164: destination, callerId: campaign.settings.callerId };
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
