import { sql } from 'kysely';
import type { Redis } from 'ioredis';
import { isWindowOpen } from '@passerelle/shared/calling-rules';
import type { AgentEvent, PauseReason } from '@passerelle/shared/agent-state';
import type { DispositionInput } from '@passerelle/shared/api/campaign-engine';
import { dispositionsWithoutAnswer } from '@passerelle/shared/dispositions';
import type { AgentSnapshot, CampaignCounters, SupervisorSnapshot } from '@passerelle/shared/events';
import { AppError, badRequest, conflict } from '../../lib/errors.ts';
import { prepared } from '../../db/prepared.ts';
import { isDeadlock, retryOnDeadlock } from '../../db/retry.ts';
import { HeartbeatBuffer } from '../agents/heartbeats.ts';
import { AgentStates, planState, stillAsRead, toView, type AgentRecord } from '../agents/states.ts';
import { Assignment, assignmentRead } from './assignment.ts';
import { loadCampaign, returnUntouched, settleAttempt, technicalOutcome, untouchedReturn, type AttemptRow, type CampaignContext, type Trx } from './attempts.ts';
import { CampaignCache } from './campaign-cache.ts';
import { CampaignCounterBoard } from './counters.ts';
import { AfterCommit, emitAgentState, liveAttempt, rulesOffsetMs, type DialerDeps } from './deps.ts';
import { Hopper } from './hopper.ts';
import { OfferBuilder } from './offers.ts';
import { openSupervisionSessions } from '../supervision-media/sessions.ts';

type Actor = Parameters<DialerDeps['audit']['record']>[0];


export interface DialerHooks {
  /** Mirrors a persisted callback as a delayed job that wakes the dialer when it is due. */
  scheduleCallback?: (callbackId: string, dueAt: Date) => Promise<void>;
}

/**
 * The dialer: assigns contacts to Ready trainees (reserved callbacks, then callbacks for anyone,
 * then the hopper; longest-idle trainee first; language skills), pushes offers, applies
 * dispositions, and sweeps timers. Every decision is a Postgres transaction (locks, attempts,
 * agent state); Redis only holds candidates and wake-ups, so a crash or a Redis loss loses nothing.
 */
export class DialerService {
  readonly agents: AgentStates;
  readonly offers: OfferBuilder;
  readonly campaigns: CampaignCache;
  readonly heartbeats: HeartbeatBuffer;
  private readonly hopper: Hopper;
  private readonly counterBoard: CampaignCounterBoard;
  private readonly assignment: Assignment;
  private readonly rulesOffsetMs: number;

  constructor(
    private readonly deps: DialerDeps & { redis: Redis },
    private readonly hooks: DialerHooks = {},
  ) {
    this.agents = new AgentStates(deps.db);
    this.offers = new OfferBuilder(deps.db);
    this.campaigns = new CampaignCache(deps.db);
    this.counterBoard = new CampaignCounterBoard(deps.db, deps.config.SITE_TIME_ZONE);
    this.heartbeats = new HeartbeatBuffer(deps.db, (err) => deps.log.warn({ err }, 'heartbeat write failed'));
    this.rulesOffsetMs = rulesOffsetMs(deps.config);
    this.hopper = new Hopper(deps.db, deps.redis, deps.config.REDIS_PREFIX, deps.config.DIALER_HOPPER_SIZE, this.rulesOffsetMs);
    this.assignment = new Assignment(deps, this.hopper, this.campaigns, this.rulesOffsetMs);
  }

  // ------------------------------------------------------------------ agent actions

  /** A console connected: offline agents log in (paused), and the console gets a full snapshot. */
  async connect(userId: string): Promise<AgentSnapshot> {
    const after = new AfterCommit();
    await this.deps.db.transaction().execute(async (trx) => {
      const agent = await this.agents.lock(trx, userId);
      if (agent.status === 'offline') {
        const view = await this.agents.apply(trx, agent, { type: 'login' }, { cause: 'console_connected' });
        after.add(() => emitAgentState(this.deps.realtime, toView(view)));
      }
    });
    await this.agents.heartbeat(userId);
    await after.run();
    return this.agentSnapshot(userId);
  }

  /** A console is alive (written with the others of this instance, within a second). */
  heartbeat(userId: string): void {
    this.heartbeats.touch(userId);
  }

  async ready(userId: string): Promise<void> {
    // Usually one read and one statement (which also reads what assignment needs); the locked
    // transaction if the state moved in between.
    const agent = await this.agents.get(userId);
    const done = agent && agent.status !== 'ready' ? await this.agents.applyIfCurrent(agent, { type: 'ready' }, {}, (next) => assignmentRead(userId, next.since)) : null;
    if (done) emitAgentState(this.deps.realtime, toView(done.next));
    else if (agent?.status !== 'ready') {
      await this.transition(userId, async (trx, current) => (current.status === 'ready' ? null : this.agents.apply(trx, current, { type: 'ready' })));
    }
    await this.assignment.dispatchFor(userId, done?.row);
  }

  async pause(userId: string, reason: PauseReason, cause = 'pause'): Promise<void> {
    // Usually one read and one statement (an offer held is given back in it); else the locked transaction.
    const agent = await this.agents.get(userId);
    const event = { type: 'pause', reason } as const;
    if (agent?.status === 'offered' && (await this.returnOfferAtOnce(agent, event, { cause, outcome: 'offer_skipped' }))) return;
    if (agent && (agent.status === 'ready' || agent.status === 'paused')) {
      const done = await this.agents.applyIfCurrent(agent, event, { cause });
      if (done) return emitAgentState(this.deps.realtime, toView(done.next));
    }
    await this.transition(userId, (trx, current, after) => this.pauseIn(trx, current, event, cause, after));
  }

  /** Supervisor: pause a trainee now (a call in progress finishes first). Audited. */
  async forcePause(actor: Actor, userId: string, reason: PauseReason): Promise<void> {
    await this.transition(userId, async (trx, agent, after) => {
      const view = await this.pauseIn(trx, agent, { type: 'force_pause', reason }, 'supervisor', after);
      await this.deps.audit.record(actor, { action: 'agent.force_pause', targetType: 'user', targetId: userId, details: { reason, from: agent.status } }, trx);
      return view;
    });
  }

  /** Supervisor or console: log out; an offer goes back untouched, an open call is closed by its end event. */
  async logout(userId: string, cause: 'logout' | 'force_logout', actor?: Actor): Promise<void> {
    await this.transition(userId, async (trx, agent, after) => {
      if (agent.status === 'offline') return null;
      await this.releaseHeld(trx, agent, 'agent_disconnected', after);
      const view = await this.agents.apply(trx, agent, { type: cause }, { cause, link: null });
      if (actor) await this.deps.audit.record(actor, { action: 'agent.force_logout', targetType: 'user', targetId: userId, details: { from: agent.status } }, trx);
      return view;
    });
    if (cause === 'force_logout') this.deps.realtime.disconnectUser(userId);
  }

  /** The trainee declines the offer (with a reason): the contact goes back untouched. */
  async skip(userId: string, attemptId: string, reason: string): Promise<void> {
    const agent = await this.agents.get(userId);
    const returned =
      agent?.status === 'offered' && agent.attemptId === attemptId
        ? await this.returnOfferAtOnce(agent, { type: 'offer_returned' }, { cause: 'offer_skipped', outcome: 'offer_skipped', details: { reason: reason.slice(0, 200) } })
        : null;
    if (returned) await this.assignment.rememberSkip(userId, returned.contactId);
    else await this.skipLocked(userId, attemptId, reason);
    await this.assignment.dispatchFor(userId);
  }

  private async skipLocked(userId: string, attemptId: string, reason: string): Promise<void> {
    await this.transition(userId, async (trx, agent, after) => {
      const attempt = await this.lockOpenAttempt(trx, attemptId, userId);
      if (!attempt || attempt.status !== 'offered') throw conflict('OFFER_NOT_OPEN', 'Cette proposition n’est plus active.');
      await returnUntouched(trx, attempt, 'offer_skipped', { reason: reason.slice(0, 200) });
      if (attempt.contactId) after.add(() => this.assignment.rememberSkip(userId, attempt.contactId!));
      after.add(() => this.deps.realtime.toSupervisors('attempt:closed', { attemptId, campaignId: attempt.campaignId, outcome: 'offer_skipped' }));
      return this.agents.apply(trx, agent, { type: 'offer_returned' }, { cause: 'offer_skipped', link: null });
    });
  }

  /**
   * Gives back the offer the trainee holds and applies `event`, in one statement that writes
   * only if the trainee's state is still as read (the offer with it); null otherwise, and the
   * caller takes the locked path.
   */
  private async returnOfferAtOnce(agent: AgentRecord, event: AgentEvent, o: { cause: string; outcome: string; details?: Record<string, unknown> }): Promise<{ contactId: string } | null> {
    const { attemptId, campaignId } = agent;
    if (!attemptId || !campaignId) return null;
    const step = planState(agent, event, { cause: o.cause, link: null });
    const res = await sql<{ contactId: string }>`${prepared('offer_return')} with cur as (${stillAsRead(agent)}),
        ${untouchedReturn(attemptId, o.outcome, o.details ?? {}, new Date(), sql<boolean>`exists (select 1 from cur)`)}
      select ${step.write} as written, closed.contact_id from closed`
      .execute(this.deps.db)
      .catch((err: unknown) => {
        if (isDeadlock(err)) return null; // the locked path decides, retried
        throw err;
      });
    const row = res?.rows[0];
    if (!row) return null;
    emitAgentState(this.deps.realtime, toView(step.next));
    this.deps.realtime.toSupervisors('attempt:closed', { attemptId, campaignId, outcome: o.outcome });
    return row;
  }

  /** The trainee qualifies the call; the disposition decides the contact's next step. */
  async dispose(userId: string, attemptId: string, input: DispositionInput): Promise<void> {
    const now = new Date();
    let callback: { id: string; dueAt: Date } | null = null;
    await this.transition(userId, async (trx, agent, after) => {
      const attempt = await this.lockOpenAttempt(trx, attemptId, userId);
      if (!attempt || attempt.status !== 'wrap_up') throw conflict('ATTEMPT_NOT_IN_WRAP_UP', 'Cet appel ne peut pas (ou plus) être qualifié.');
      const campaign = await loadCampaign(trx, attempt.campaignId);
      if (!campaign) throw new Error('campaign vanished');
      if (!campaign.settings.dispositions.includes(input.code)) throw badRequest('DISPOSITION_NOT_ALLOWED', 'Cette qualification n’est pas prévue pour cette campagne.');
      // Nobody answered: no appointment, sale or refusal can have been obtained (the partner and the trainer would count them).
      if (!attempt.answeredAt && !dispositionsWithoutAnswer(attempt.sipCode).includes(input.code)) {
        throw conflict('CALL_NOT_ANSWERED', 'Personne n’a décroché : seules « Pas de réponse », « Occupé », « Messagerie » (ou « Pas intéressé » si l’appel a été refusé) peuvent le qualifier.');
      }
      let callbackAt: Date | null = null;
      if (input.code === 'appointment') await this.bookSlot(trx, attempt, input.slotId, now);
      if (input.code === 'callback') callbackAt = await this.validateCallback(trx, attempt, campaign, new Date(input.at), now);
      const settled = await settleAttempt(trx, attempt, campaign, input.code, {
        rulesOffsetMs: this.rulesOffsetMs,
        now,
        callbackAt,
        callbackReservedTo: input.code === 'callback' && input.reservedToMe ? userId : null,
        disposition: input,
      });
      callback = settled.callback;
      after.add(() => {
        this.deps.realtime.toAgent(userId, 'attempt:closed', { attemptId, outcome: input.code });
        this.deps.realtime.toSupervisors('attempt:closed', { attemptId, campaignId: attempt.campaignId, outcome: input.code });
      });
      return this.agents.apply(trx, agent, { type: 'disposed' }, { cause: 'disposed', link: null });
    });
    const cb = callback as { id: string; dueAt: Date } | null;
    if (cb) await this.hooks.scheduleCallback?.(cb.id, cb.dueAt);
    await this.assignment.dispatchFor(userId);
  }

  // ------------------------------------------------------------------ assignment (assignment.ts)

  /** A dispatch round: Ready trainees served longest idle first. */
  dispatch(): Promise<number> {
    return this.assignment.dispatch();
  }

  /** One trainee: reserved callbacks due, then callbacks for anyone, then the hopper. */
  assign(userId: string): Promise<'offered' | 'none' | 'not_ready'> {
    return this.assignment.assign(userId);
  }

  // ------------------------------------------------------------------ timers and reconciliation

  /**
   * One sweep (run by the worker every DIALER_TICK_MS, and at start-up): expired offers back
   * untouched, wrap-ups past their deadline closed, silent consoles paused, orphan locks released,
   * calls never reported as ended closed, hoppers refilled, then a dispatch round.
   */
  async sweep(now = new Date()): Promise<void> {
    const expired = await this.deps.db
      .selectFrom('callAttempts as a')
      .innerJoin('callTokens as t', 't.attemptId', 'a.id')
      .select(['a.id', 'a.agentUserId'])
      .where('a.status', '=', 'offered')
      .where('t.expiresAt', '<=', now)
      .execute();
    for (const a of expired) await this.expireOffer(a.agentUserId, a.id);

    const lateWrapUps = await this.deps.db.selectFrom('callAttempts').select(['id', 'agentUserId']).where('status', '=', 'wrap_up').where('wrapUpDeadline', '<=', now).execute();
    for (const a of lateWrapUps) await this.closeWrapUp(a.agentUserId, a.id);

    const silent = new Date(now.getTime() - this.deps.config.DIALER_HEARTBEAT_TIMEOUT_S * 1000);
    const lost = await this.deps.db
      .selectFrom('agentPresence')
      .select(['userId', 'status'])
      .where('lastHeartbeatAt', '<', silent)
      .where((eb) => eb.or([eb('status', 'not in', ['offline', 'paused']), eb.and([eb('status', '=', 'paused'), eb('reason', '!=', 'technical')])]))
      .execute();
    for (const a of lost) await this.heartbeatLost(a.userId);
    // A console silent for ten timeouts is logged out: its working time stops.
    const gone = await this.deps.db
      .selectFrom('agentPresence')
      .select('userId')
      .where('status', '=', 'paused')
      .where('lastHeartbeatAt', '<', new Date(now.getTime() - 10 * this.deps.config.DIALER_HEARTBEAT_TIMEOUT_S * 1000))
      .execute();
    for (const a of gone) await this.logout(a.userId, 'logout');

    await this.reconcileLocks(now);
    await this.refillRunning();
    await this.dispatch();
  }

  /** Locks without a live attempt (impossible by construction, repaired if ever seen) and lost call ends. */
  async reconcileLocks(now = new Date()): Promise<void> {
    await sql`update contacts_dialing d set status = case when exists (select 1 from callbacks c where c.contact_id = d.contact_id and c.status = 'pending') then 'callback' else 'pending' end,
        locked_by = null, attempt_id = null, lock_expires_at = null, updated_at = now()
      where d.status = 'locked' and not exists (select 1 from call_attempts a where a.id = d.attempt_id and a.closed_at is null)`.execute(this.deps.db);
    const stale = await this.deps.db
      .selectFrom('callAttempts')
      .select(['id', 'agentUserId'])
      .where('status', 'in', ['dialing', 'ringing', 'in_call'])
      .where('dialedAt', '<', new Date(now.getTime() - this.deps.config.DIALER_MAX_CALL_MIN * 60_000))
      .execute();
    for (const a of stale) await this.closeWrapUp(a.agentUserId, a.id, 'stale_call');
  }

  private async refillRunning(): Promise<void> {
    const running = await this.deps.db.selectFrom('campaigns').select('id').where('status', '=', 'running').execute();
    for (const { id } of running) {
      const ctx = await this.campaigns.get(id);
      if (ctx) await this.hopper.refill({ id, windows: ctx.settings.windows });
    }
  }

  private async expireOffer(userId: string, attemptId: string): Promise<void> {
    await this.transition(userId, async (trx, agent, after) => {
      const attempt = await this.lockOpenAttempt(trx, attemptId, userId);
      if (!attempt || attempt.status !== 'offered') return null;
      await returnUntouched(trx, attempt, 'offer_expired');
      after.add(() => {
        this.deps.realtime.toAgent(userId, 'offer:withdrawn', { attemptId, reason: 'expired' });
        this.deps.realtime.toSupervisors('attempt:closed', { attemptId, campaignId: attempt.campaignId, outcome: 'offer_expired' });
        this.deps.realtime.toSupervisors('alert', { kind: 'offer_expired', userId, at: new Date().toISOString(), message: 'Proposition non traitée à temps : conseiller mis en pause.' });
      });
      if (agent.status !== 'offered' || agent.attemptId !== attemptId) return null;
      // An unanswered offer means nobody is at the console: pause rather than offer again.
      const back = await this.agents.apply(trx, agent, { type: 'offer_returned' }, { cause: 'offer_expired', link: null });
      return back.status === 'ready' ? this.agents.apply(trx, back, { type: 'pause', reason: 'pause' }, { cause: 'offer_expired' }) : back;
    });
  }

  private async closeWrapUp(userId: string, attemptId: string, cause = 'wrap_up_timeout'): Promise<void> {
    await this.transition(userId, async (trx, agent, after) => {
      const attempt = await this.lockOpenAttempt(trx, attemptId, userId);
      if (!attempt || attempt.status === 'offered') return null;
      const campaign = await loadCampaign(trx, attempt.campaignId);
      if (!campaign) return null;
      const outcome = technicalOutcome(attempt);
      await settleAttempt(trx, attempt, campaign, outcome, { rulesOffsetMs: this.rulesOffsetMs, disposition: { system: cause } });
      after.add(() => {
        this.deps.realtime.toAgent(userId, 'attempt:closed', { attemptId, outcome });
        this.deps.realtime.toSupervisors('attempt:closed', { attemptId, campaignId: attempt.campaignId, outcome });
        if (cause === 'wrap_up_timeout') this.deps.realtime.toSupervisors('alert', { kind: 'wrap_up_timeout', userId, at: new Date().toISOString(), message: 'Qualification non saisie à temps.' });
      });
      if (agent.attemptId !== attemptId) return null;
      if (agent.status === 'wrap_up') return this.agents.apply(trx, agent, { type: 'wrap_up_timeout' }, { cause, link: null });
      return this.agents.apply(trx, agent, { type: 'heartbeat_lost' }, { cause, link: null });
    });
  }

  /** A console stopped heart-beating: pause (technical), give back what it held, alert supervisors. */
  async heartbeatLost(userId: string): Promise<void> {
    await this.transition(userId, async (trx, agent, after) => {
      if (agent.status === 'offline' || (agent.status === 'paused' && agent.reason === 'technical')) return null;
      await this.releaseHeld(trx, agent, 'agent_disconnected', after);
      after.add(() =>
        this.deps.realtime.toSupervisors('alert', { kind: 'heartbeat_lost', userId, at: new Date().toISOString(), message: 'Poste muet : conseiller mis en pause (technique).' }),
      );
      return this.agents.apply(trx, agent, { type: 'heartbeat_lost' }, { cause: 'heartbeat_lost', link: null });
    });
  }

  /** Gives back the agent's open attempt: an offer untouched; a call in wrap-up closed by its line outcome. */
  private async releaseHeld(trx: Trx, agent: AgentRecord, outcome: string, after: AfterCommit): Promise<void> {
    if (!agent.attemptId) return;
    const attempt = await this.lockOpenAttempt(trx, agent.attemptId, agent.userId);
    if (!attempt) return;
    if (attempt.status === 'offered') {
      await returnUntouched(trx, attempt, outcome);
      after.add(() => this.deps.realtime.toSupervisors('attempt:closed', { attemptId: attempt.id, campaignId: attempt.campaignId, outcome }));
    } else if (attempt.status === 'wrap_up') {
      const campaign = await loadCampaign(trx, attempt.campaignId);
      if (!campaign) return;
      const line = technicalOutcome(attempt);
      await settleAttempt(trx, attempt, campaign, line, { rulesOffsetMs: this.rulesOffsetMs, disposition: { system: outcome } });
      after.add(() => this.deps.realtime.toSupervisors('attempt:closed', { attemptId: attempt.id, campaignId: attempt.campaignId, outcome: line }));
    }
    // dialing/ringing/in_call: the call's end event closes it (call progress settles it by its line outcome).
  }

  // ------------------------------------------------------------------ snapshots and counters

  async agentSnapshot(userId: string): Promise<AgentSnapshot> {
    const agent = await this.agents.get(userId);
    if (!agent) throw new AppError(404, 'NOT_FOUND', 'Conseiller introuvable.');
    const attempt = agent.attemptId
      ? await this.deps.db.selectFrom('callAttempts').select(['id', 'status', 'wrapUpDeadline']).where('id', '=', agent.attemptId).where('closedAt', 'is', null).executeTakeFirst()
      : undefined;
    return {
      serverTime: new Date().toISOString(),
      state: toView(agent),
      offer: attempt && attempt.status !== 'closed' ? await this.offers.build(attempt.id) : null,
      call: attempt && attempt.status !== 'closed' ? { attemptId: attempt.id, status: attempt.status, wrapUpDeadline: attempt.wrapUpDeadline?.toISOString() ?? null } : null,
    };
  }

  /** The floor as the dialer knows it, with the open supervision sessions (the socket adds health and groups). */
  async supervisorSnapshot(): Promise<Omit<SupervisorSnapshot, 'health' | 'teams'>> {
    const [agents, attempts, campaigns, supervision] = await Promise.all([
      this.agents.list(),
      this.deps.db.selectFrom('callAttempts').selectAll().where('closedAt', 'is', null).execute(),
      this.counters(),
      openSupervisionSessions(this.deps.db),
    ]);
    return { serverTime: new Date().toISOString(), agents: agents.map(toView), attempts: attempts.map(liveAttempt), campaigns, supervision };
  }

  /** Live counters of running and paused campaigns (see CampaignCounterBoard). */
  counters(): Promise<CampaignCounters[]> {
    return this.counterBoard.list();
  }

  async publishCounters(): Promise<void> {
    for (const c of await this.counters()) this.deps.realtime.toSupervisors('campaign:counters', c);
  }

  /** A campaign left `running`: outstanding offers go back and its hoppers are emptied. */
  async campaignStopped(campaignId: string): Promise<void> {
    this.campaigns.invalidate(campaignId);
    await this.hopper.clear(campaignId);
    const offered = await this.deps.db.selectFrom('callAttempts').select(['id', 'agentUserId']).where('campaignId', '=', campaignId).where('status', '=', 'offered').execute();
    for (const a of offered) {
      await this.transition(a.agentUserId, async (trx, agent, after) => {
        const attempt = await this.lockOpenAttempt(trx, a.id, a.agentUserId);
        if (!attempt || attempt.status !== 'offered') return null;
        await returnUntouched(trx, attempt, 'offer_withdrawn');
        after.add(() => this.deps.realtime.toAgent(a.agentUserId, 'offer:withdrawn', { attemptId: a.id, reason: 'campaign_stopped' }));
        return agent.status === 'offered' ? this.agents.apply(trx, agent, { type: 'offer_returned' }, { cause: 'campaign_stopped', link: null }) : null;
      });
    }
  }

  // ------------------------------------------------------------------ helpers

  /** Runs a state change for one agent in a transaction, then announces the new state. */
  private async transition(userId: string, fn: (trx: Trx, agent: AgentRecord, after: AfterCommit) => Promise<AgentRecord | null>): Promise<void> {
    const { view, after } = await retryOnDeadlock(async () => {
      const after = new AfterCommit();
      return { view: await this.deps.db.transaction().execute(async (trx) => fn(trx, await this.agents.lock(trx, userId), after)), after };
    });
    if (view) emitAgentState(this.deps.realtime, toView(view));
    await after.run();
  }

  private async pauseIn(trx: Trx, agent: AgentRecord, event: { type: 'pause' | 'force_pause'; reason: PauseReason }, cause: string, after: AfterCommit) {
    if (agent.status === 'offered') await this.releaseHeld(trx, agent, 'offer_skipped', after);
    return this.agents.apply(trx, agent, event, { cause, ...(agent.status === 'offered' ? { link: null } : {}) });
  }

  private lockOpenAttempt(trx: Trx, attemptId: string, userId: string): Promise<AttemptRow | undefined> {
    return trx.selectFrom('callAttempts').selectAll().where('id', '=', attemptId).where('agentUserId', '=', userId).where('closedAt', 'is', null).forUpdate().executeTakeFirst();
  }

  private async bookSlot(trx: Trx, attempt: AttemptRow, slotId: string, now: Date): Promise<void> {
    const booked = await trx
      .updateTable('appointmentSlots')
      .set({ booked: sql`booked + 1` })
      .where('id', '=', slotId)
      .where('partnerId', '=', attempt.partnerId)
      .where((eb) => eb.or([eb('campaignId', 'is', null), eb('campaignId', '=', attempt.campaignId)]))
      .where('startsAt', '>', now)
      .whereRef('booked', '<', 'capacity')
      .executeTakeFirst();
    if (Number(booked.numUpdatedRows) !== 1) throw conflict('SLOT_UNAVAILABLE', 'Ce créneau n’est plus disponible : choisissez-en un autre.');
  }

  private async validateCallback(trx: Trx, attempt: AttemptRow, campaign: CampaignContext, at: Date, now: Date): Promise<Date> {
    if (!(at.getTime() > now.getTime())) throw badRequest('CALLBACK_IN_PAST', 'Le rappel doit être dans le futur.');
    if (at.getTime() - now.getTime() > 60 * 86_400_000) throw badRequest('CALLBACK_TOO_FAR', 'Le rappel doit avoir lieu dans les 60 jours.');
    const d = await trx.selectFrom('contactsDialing').select(['territory', 'timeZone']).where('contactId', '=', attempt.contactId!).executeTakeFirstOrThrow();
    if (!isWindowOpen(new Date(at.getTime() + this.rulesOffsetMs), { territory: d.territory, timeZone: d.timeZone, windows: campaign.settings.windows, skipHolidays: true })) {
      throw badRequest('CALLBACK_OUTSIDE_WINDOW', 'Ce créneau de rappel est hors des horaires d’appel autorisés pour ce contact (heure locale du client).');
    }
    return at;
  }
}
