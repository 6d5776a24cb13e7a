import { randomUUID } from 'node:crypto';
import { commitWithoutFlushWait, prepared } from '../../db/prepared.ts';
import { sql, type Expression, type RawBuilder } from 'kysely';
import type { Redis } from 'ioredis';
import { isCanvassing } from '@passerelle/shared/calling-rules';
import { planState, stillAsRead, toView, type AgentRecord } from '../agents/states.ts';
import { blockedSql } from '../blocklists/service.ts';
import { historyFrom, historyOf, historyRows, judgeCallable, type CampaignContext, type HistoryRows, type Trx } from './attempts.ts';
import type { CampaignCache } from './campaign-cache.ts';
import { AfterCommit, emitAgentState, type DialerDeps } from './deps.ts';
import type { Hopper } from './hopper.ts';
import { offerColumns, offerPayload, type OfferAttempt, type OfferParts } from './offers.ts';
import { newCallToken } from './token.ts';

class NotReady extends Error {}
/** The campaign changed (or stopped) since its context was cached: read it again. */
class StaleCampaign extends Error {}

/** Callbacks reserved to a trainee go to anyone once this late. */
const RESERVED_CALLBACK_GRACE_MS = 15 * 60_000;
/** A skipped contact is not offered again to the same trainee for this long. */
const SKIP_MEMORY_S = 600;

type Offered = 'offered' | 'skip' | 'not_ready';

/** What the offer statement reads while it locks the trainee and the contact. */
interface LockRow extends Omit<AgentRecord, 'status'> {
  status: AgentRecord['status'] | null;
  fresh: boolean;
  partnerId: string | null;
  phoneHmac: string;
  territory: string;
  timeZone: string;
  attempts: number;
  legalBasis: string | null;
  blocked: boolean;
  history: HistoryRows;
}

/**
 * Assignment: which contact goes to which Ready trainee, and the offer itself. The offer is one
 * short transaction — one statement locks the trainee (must be Ready) and the contact, checks the
 * cached campaign is still running at the same version, and reads what the dial-time rules need
 * (legal basis, blocklists, the number's history); the rules (window and holidays in the callee's
 * zone, cap, quiet period) are judged in TypeScript; one statement inserts the attempt and its
 * token and moves the trainee to Offered.
 */
export class Assignment {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(
    private readonly deps: DialerDeps & { redis: Redis },
    private readonly hopper: Hopper,
    private readonly campaigns: CampaignCache,
    private readonly rulesOffsetMs: number,
  ) {
    this.redis = deps.redis;
    this.prefix = deps.config.REDIS_PREFIX;
  }

  /**
   * Offers contacts to Ready trainees, longest idle first. Serialized by a short Redis lock; a
   * call arriving while another instance dispatches marks the round dirty so it runs again.
   */
  async dispatch(): Promise<number> {
    const lockKey = `${this.prefix}:dl:dispatch`;
    const dirtyKey = `${lockKey}:dirty`;
    const me = randomUUID();
    if ((await this.redis.set(lockKey, me, 'PX', 10_000, 'NX')) !== 'OK') {
      await this.redis.set(dirtyKey, '1', 'PX', 10_000);
      return 0;
    }
    let offered = 0;
    try {
      do {
        await this.redis.del(dirtyKey);
        const ready = await this.deps.db.selectFrom('agentPresence').select('userId').where('status', '=', 'ready').orderBy('since').limit(500).execute();
        for (const { userId } of ready) {
          if ((await this.assign(userId)) === 'offered') offered++;
          await this.redis.pexpire(lockKey, 10_000);
        }
      } while ((await this.redis.get(dirtyKey)) === '1');
    } finally {
      // Release only our own lock.
      await this.redis.eval(`if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`, 1, lockKey, me);
    }
    return offered;
  }

  /**
   * After a trainee turns Ready (`known`: what `assignmentRead` returned with the Ready write).
   * While contacts are plentiful (refills fill whole hoppers) every Ready trainee is served at
   * once, in parallel across instances; when they are scarce and someone has waited longer, a
   * full round serves the longest-idle trainees first.
   */
  async dispatchFor(userId: string, known?: TraineeForAssignment): Promise<void> {
    const me = known ?? (await this.read(userId));
    if (me?.status !== 'ready') return;
    if (me.older && !(await this.hopper.plentiful())) return void (await this.dispatch());
    if ((await this.assign(userId, me)) === 'none' && me.older) await this.dispatch();
  }

  private async read(userId: string): Promise<TraineeForAssignment | undefined> {
    return (await sql<TraineeForAssignment>`${prepared('assign_read')} ${assignmentRead(userId, null)}`.execute(this.deps.db)).rows[0];
  }

  /** Remembers that the trainee skipped this contact (not offered to it again for a while). */
  async rememberSkip(userId: string, contactId: string): Promise<void> {
    await this.redis.set(this.skipKey(userId, contactId), '1', 'EX', SKIP_MEMORY_S);
  }

  private skipKey(userId: string, contactId: string) {
    return `${this.prefix}:dl:skip:${userId}:${contactId}`;
  }

  /** One trainee: reserved callbacks due, then callbacks for anyone, then the hopper. */
  async assign(userId: string, known?: TraineeForAssignment): Promise<'offered' | 'none' | 'not_ready'> {
    const user = known ?? (await this.read(userId));
    if (!user?.active) return 'not_ready';
    const contexts = new Map<string, CampaignContext>();
    for (const id of user.campaignIds) {
      const ctx = await this.campaigns.get(id);
      if (ctx) contexts.set(id, ctx);
    }
    if (contexts.size === 0) return 'none';
    for (const cb of user.callbacks) {
      const ctx = contexts.get(cb.campaignId);
      const r = ctx ? await this.tryOffer(userId, ctx, cb.contactId, cb.id) : 'skip';
      if (r !== 'skip') return r;
    }
    for (const ctx of shuffle([...contexts.values()])) {
      let refilled = false;
      for (let tries = 0; tries < 50; tries++) {
        const contactId = await this.hopper.pop(ctx.row.id, user.skills, this.skipKey(userId, ''));
        if (!contactId) {
          if (refilled) break;
          const added = await this.hopper.refill({ id: ctx.row.id, windows: ctx.settings.windows }, user.skills);
          // Another caller is refilling: wait for its candidates rather than giving up.
          if (added === 'busy') await new Promise((r) => setTimeout(r, 25));
          else if (added === 0) break;
          else refilled = true;
          continue;
        }
        const r = await this.tryOffer(userId, ctx, contactId, null);
        if (r !== 'skip') return r;
      }
    }
    return 'none';
  }

  /** The offer, with a cached campaign context; read again once if the campaign changed meanwhile. */
  private async tryOffer(userId: string, campaign: CampaignContext, contactId: string, callbackId: string | null): Promise<Offered> {
    try {
      return await this.offer(userId, campaign, contactId, callbackId);
    } catch (err) {
      if (!(err instanceof StaleCampaign)) throw err;
      this.campaigns.invalidate(campaign.row.id);
      const fresh = await this.campaigns.get(campaign.row.id);
      if (!fresh || fresh.row.status !== 'running') return 'skip';
      try {
        return await this.offer(userId, fresh, contactId, callbackId);
      } catch (again) {
        if (again instanceof StaleCampaign) return 'skip';
        throw again;
      }
    }
  }

  /**
   * Takes the contact, re-checks the dial-time rules, creates the attempt and its token and moves
   * the trainee to Offered, then pushes the offer: in two statements when nothing moved
   * (`offerAtOnce`), else — and for callbacks — in one locked transaction (`offerLocked`).
   */
  private async offer(userId: string, campaign: CampaignContext, contactId: string, callbackId: string | null): Promise<Offered> {
    if (!callbackId) {
      const fast = await this.offerAtOnce(userId, campaign, contactId);
      if (fast) return fast;
    }
    return this.offerLocked(userId, campaign, contactId, callbackId);
  }

  /**
   * The usual case in two statements and no explicit transaction: a read of what the rules need
   * (trainee, contact, legal basis, blocklists, the number's history), the rules judged here, then
   * one write that takes the contact only if none of that changed meanwhile (trainee in the same
   * Ready state, campaign at the same version, contact still due, number not blocked, same
   * history). Null when anything is off: the locked path then decides, and records why.
   * Committed without waiting for the WAL flush: an offer a PostgreSQL crash forgets never
   * happened — its token resolves to nothing and the contact was never taken.
   */
  private async offerAtOnce(userId: string, campaign: CampaignContext, contactId: string): Promise<Offered | null> {
    const now = new Date();
    const res = await sql<LockRow & { historyKey: string | null }>`${prepared('offer_peek')}
      with me as (${agentRow(userId)}),
      d as (select partner_id, phone_hmac, territory, time_zone, attempts from contacts_dialing
        where contact_id = ${contactId} and campaign_id = ${campaign.row.id} and status = 'pending' and next_at <= ${now})
      select me.*, true as fresh, d.partner_id, d.phone_hmac, d.territory, d.time_zone, d.attempts, c.legal_basis,
        ${numberChecks(campaign, sql.ref('d.partner_id'), sql.ref('d.phone_hmac'), now)},
        ${historyKey(campaign, sql.ref('d.partner_id'), sql.ref('d.phone_hmac'), now)} as history_key
      from (select 1) one left join me on true left join d on true left join contacts c on c.id = ${contactId} and d.partner_id is not null`.execute(this.deps.db);
    const d = res.rows[0]!;
    if (d.status !== 'ready' || !d.partnerId || d.blocked || (campaign.row.legalBasisRequired && !d.legalBasis)) return null;
    if (judgeCallable(campaign, d, historyOf(campaign, d.history, now), now, { rulesOffsetMs: this.rulesOffsetMs })) return null;
    const agent: AgentRecord = { ...d, status: 'ready' };
    const attemptId = randomUUID();
    const offered: OfferAttempt = { id: attemptId, contactId, agentUserId: userId, callbackId: null, token: newCallToken(), expiresAt: new Date(now.getTime() + campaign.settings.offerTtlSeconds * 1000) };
    const step = planState(agent, { type: 'offer' }, { cause: 'offer', link: { attemptId, campaignId: campaign.row.id }, now });
    let written;
    try {
      written = await sql<OfferParts & { offeredAt: Date }>`${prepared('offer_at_once')}
        with me as (${stillAsRead(agent)}),
          camp as (select 1 from campaigns where id = ${campaign.row.id} and status = 'running' and xmin::text = ${campaign.version}),
          d as (update contacts_dialing set status = 'locked', locked_by = ${userId}, attempt_id = ${attemptId}, lock_expires_at = ${offered.expiresAt}, updated_at = ${now}
            where contact_id = ${contactId} and campaign_id = ${campaign.row.id} and status = 'pending' and next_at <= ${now}
              and exists (select 1 from me) and exists (select 1 from camp)
              and not ${blockedSql(sql.ref('contacts_dialing.partner_id'), sql.ref('contacts_dialing.phone_hmac'))}
              and ${historyKey(campaign, sql.ref('contacts_dialing.partner_id'), sql.ref('contacts_dialing.phone_hmac'), now)} is not distinct from ${d.historyKey}
            returning partner_id, phone_hmac),
          ${attemptInserts(offered, campaign, sql`select partner_id, phone_hmac from d`)}
        select ${step.write} as agent_written, ${commitWithoutFlushWait} as async_commit, attempt.offered_at, ${offerColumns(campaign, offered)} from attempt`.execute(this.deps.db);
    } catch (err) {
      // Another instance took the trainee or the contact first (unique open-attempt indexes).
      if ((err as { code?: string }).code === '23505') return 'not_ready';
      throw err;
    }
    if (!written.rows.length) return null;
    this.announce(campaign, offered, written.rows[0]!, step.next);
    return 'offered';
  }

  /** The offer under row locks: the rare cases (callbacks, a contact or trainee that moved, rules that say not now). */
  private async offerLocked(userId: string, campaign: CampaignContext, contactId: string, callbackId: string | null): Promise<Offered> {
    const now = new Date();
    const attemptId = randomUUID();
    const token = newCallToken();
    const expiresAt = new Date(now.getTime() + campaign.settings.offerTtlSeconds * 1000);
    const after = new AfterCommit();
    let outcome: 'offered' | 'skip';
    try {
      outcome = await this.deps.db.transaction().execute(async (trx) => {
        const d = await this.lock(trx, userId, campaign, contactId, callbackId, attemptId, expiresAt, now);
        if (d.status !== 'ready') throw new NotReady();
        if (!d.fresh) throw new StaleCampaign();
        if (!d.partnerId) return 'skip';
        const unlock = async (set: { status: 'pending' | 'callback' | 'blocked' | 'ineligible' | 'exhausted' | 'expired'; nextAt?: Date }, callback: { cancel: true } | { dueAt: Date }) => {
          await trx.updateTable('contactsDialing').set({ ...set, lockedBy: null, attemptId: null, lockExpiresAt: null }).where('contactId', '=', contactId).execute();
          if (callbackId) await trx.updateTable('callbacks').set('cancel' in callback ? { status: 'cancelled' } : { dueAt: callback.dueAt }).where('id', '=', callbackId).execute();
          return 'skip' as const;
        };
        if (campaign.row.legalBasisRequired && !d.legalBasis) return unlock({ status: 'ineligible' }, { cancel: true });
        if (d.blocked) return unlock({ status: 'blocked' }, { cancel: true });
        const notCallable = judgeCallable(campaign, d, historyOf(campaign, d.history, now), now, { rulesOffsetMs: this.rulesOffsetMs });
        if (notCallable?.nextAt) return unlock({ status: callbackId ? 'callback' : 'pending', nextAt: notCallable.nextAt }, { dueAt: notCallable.nextAt });
        if (notCallable) return unlock({ status: notCallable.reason === 'campaign_over' ? 'expired' : 'exhausted' }, { cancel: true });
        if (callbackId) {
          const taken = await trx.updateTable('callbacks').set({ status: 'taken', updatedAt: now }).where('id', '=', callbackId).where('status', '=', 'pending').executeTakeFirst();
          if (Number(taken.numUpdatedRows) !== 1) throw new NotReady();
        }
        const agent: AgentRecord = { ...d, status: 'ready' };
        const step = planState(agent, { type: 'offer' }, { cause: 'offer', link: { attemptId, campaignId: campaign.row.id }, now });
        // One statement: the attempt, its token, the trainee moved to Offered, and what the offer shows.
        const offered: OfferAttempt = { id: attemptId, contactId, agentUserId: userId, callbackId, token, expiresAt };
        const written = await sql<OfferParts & { offeredAt: Date }>`${prepared('offer')}
          with ${attemptInserts(offered, campaign, sql`select ${d.partnerId}::uuid, ${d.phoneHmac}::text`)}
          select ${step.write} as agent_written, attempt.offered_at, ${offerColumns(campaign, offered)} from attempt`.execute(trx);
        after.add(() => this.announce(campaign, offered, written.rows[0]!, step.next));
        return 'offered';
      });
    } catch (err) {
      if (err instanceof NotReady) return 'not_ready';
      // Another instance took the trainee or the contact first (unique open-attempt indexes).
      if ((err as { code?: string }).code === '23505') return 'not_ready';
      throw err;
    }
    await after.run();
    return outcome;
  }

  /** Once the offer is written: the offer to the trainee, its new state to everyone, the live attempt to supervisors. */
  private announce(campaign: CampaignContext, offered: OfferAttempt, parts: OfferParts & { offeredAt: Date }, view: AgentRecord): void {
    const offer = offerPayload(campaign, offered, parts);
    if (offer) this.deps.realtime.toAgent(offered.agentUserId, 'offer', offer);
    emitAgentState(this.deps.realtime, toView(view));
    const live = { attemptId: offered.id, campaignId: campaign.row.id, agentUserId: offered.agentUserId, status: 'offered', offeredAt: parts.offeredAt.toISOString(), answeredAt: null } as const;
    this.deps.realtime.toSupervisors('attempt:update', live);
  }

  /**
   * One statement: locks the trainee's row, checks the campaign version, locks the contact if
   * the trainee is Ready and the contact still waits for a call, and reads the legal basis,
   * blocklists and (canvassing) the number's recent attempts.
   */
  private async lock(trx: Trx, userId: string, campaign: CampaignContext, contactId: string, callbackId: string | null, attemptId: string, expiresAt: Date, now: Date): Promise<LockRow> {
    const res = await sql<LockRow>`${prepared('offer_lock')}
      with me as (${agentRow(userId)} for update of p),
      camp as (select 1 from campaigns where id = ${campaign.row.id} and status = 'running' and xmin::text = ${campaign.version}),
      d as (
        update contacts_dialing set status = 'locked', locked_by = ${userId}, attempt_id = ${attemptId}, lock_expires_at = ${expiresAt}, updated_at = ${now}
        where contact_id = ${contactId} and campaign_id = ${campaign.row.id} and status = ${callbackId ? 'callback' : 'pending'}
          and (${callbackId !== null}::boolean or next_at <= ${now})
          and exists (select 1 from me where status = 'ready') and exists (select 1 from camp)
        returning partner_id, phone_hmac, territory, time_zone, attempts)
      select me.*, exists (select 1 from camp) as fresh,
        d.partner_id, d.phone_hmac, d.territory, d.time_zone, d.attempts, c.legal_basis,
        ${numberChecks(campaign, sql.ref('d.partner_id'), sql.ref('d.phone_hmac'), now)}
      from (select 1) one left join me on true left join d on true left join contacts c on c.id = ${contactId} and d.partner_id is not null`.execute(trx);
    return res.rows[0]!;
  }
}

/** What assignment knows of a trainee: its state, whether a Ready trainee waits longer, its skills, campaigns and due callbacks. */
export interface TraineeForAssignment {
  status: string | null;
  older: boolean;
  active: boolean;
  skills: string[];
  campaignIds: string[];
  callbacks: { id: string; contactId: string; campaignId: string }[];
}

/**
 * Reads a `TraineeForAssignment` in one statement: the running campaigns the trainee may work
 * (required language held) and its due callbacks (reserved to it first, then oldest). With
 * `readySince` (inside the statement that makes it Ready, whose write it cannot see) the state is
 * taken as Ready since then.
 */
export const assignmentRead = (userId: string, readySince: Date | null) => {
  const now = new Date();
  return sql<TraineeForAssignment>`with u as (select id, active, language_skills, case when cardinality(language_skills) = 0 then array['fr'] else language_skills end as skills from users where id = ${userId}),
      p as (select coalesce(${readySince ? 'ready' : null}::text, status) as status, coalesce(${readySince}::timestamptz, since) as since from agent_presence where user_id = ${userId}),
      camps as (select c.id from u join campaign_agents ca on ca.user_id = u.id
        join campaigns c on c.id = ca.campaign_id and c.status = 'running' and (c.required_language is null or c.required_language = any(u.language_skills)))
      select p.status, exists (select 1 from agent_presence o where o.status = 'ready' and o.user_id <> ${userId} and o.since < p.since) as older,
        u.active, u.skills, array(select id::text from camps) as campaign_ids,
        (select coalesce(json_agg(x), '[]') from (
          select cb.id, cb.contact_id as "contactId", cb.campaign_id as "campaignId"
          from callbacks cb join contacts_dialing d on d.contact_id = cb.contact_id
          where cb.campaign_id in (select id from camps) and cb.status = 'pending' and cb.due_at <= ${now}
            and d.status = 'callback' and d.language = any(u.skills)
            and (cb.reserved_to = ${userId} or cb.reserved_to is null or cb.due_at <= ${new Date(now.getTime() - RESERVED_CALLBACK_GRACE_MS)})
          order by (cb.reserved_to is not distinct from ${userId}::uuid) desc, cb.due_at limit 5) x) as callbacks
      from u left join p on true`;
};

/** The trainee's state row as `AgentRecord` columns (the offer reads it, the locked path locks it). */
const agentRow = (userId: string) =>
  sql`select p.user_id, u.display_name, p.status, p.reason, p.pending_pause, p.since, p.attempt_id, p.campaign_id, p.last_heartbeat_at
    from agent_presence p join users u on u.id = p.user_id where p.user_id = ${userId}`;

/** What changes in a number's history, as one comparable value: the fast offer takes the contact only if it is unchanged. */
const historyKey = (campaign: CampaignContext, partnerId: Expression<string>, phoneHmac: Expression<string>, now: Date) =>
  sql<string | null>`(select string_agg(a.id::text || coalesce(a.outcome, '') || coalesce(a.closed_at::text, ''), ',' order by a.id)
    ${historyFrom(partnerId, phoneHmac, now, isCanvassing(campaign.row.type))})`;

/** The dial-time checks on a number: `blocked` and `history` (judged in TypeScript). */
const numberChecks = (campaign: CampaignContext, partnerId: Expression<string>, phoneHmac: Expression<string>, now: Date) =>
  sql`${blockedSql(partnerId, phoneHmac)} as blocked, ${historyRows(partnerId, phoneHmac, now, isCanvassing(campaign.row.type))} as history`;

/**
 * CTEs `attempt` and `token`: the offered attempt (partner and number from `source`) and its call
 * token. `offered_at` is the database's clock at the insert, not a time read before the contact
 * was taken: it is after the previous attempt on the contact closed, whatever the waits.
 */
const attemptInserts = (a: OfferAttempt, campaign: CampaignContext, source: RawBuilder<unknown>) =>
  sql`attempt as (insert into call_attempts (id, campaign_id, contact_id, partner_id, phone_hmac, agent_user_id, callback_id, status, offered_at)
      select ${a.id}::uuid, ${campaign.row.id}::uuid, ${a.contactId}::uuid, s.*, ${a.agentUserId}::uuid, ${a.callbackId}::uuid, 'offered', clock_timestamp() from (${source}) s
      returning id, offered_at),
    token as (insert into call_tokens (token, agent_user_id, attempt_id, expires_at) select ${a.token}, ${a.agentUserId}::uuid, id, ${a.expiresAt}::timestamptz from attempt)`;

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
