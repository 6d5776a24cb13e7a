import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { base62Token, sha256Hex } from '../../lib/tokens.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import type { AuditActor } from '../audit/service.ts';
import { assertTrainee, insertPracticeCall, scenarioCards } from './practice.ts';
import { assertTraineeInScope } from './scope.ts';
import type { PracticeStatus, Scenario } from './tables.ts';
import type { FinalRecordingStatus } from '../telephony/service.ts';

/** How long an invitation waits for the trainee, and a token for its call. */
export const PRACTICE_INVITE_TTL_MS = 2 * 60_000;
export const PRACTICE_TOKEN_TTL_MS = 2 * 60_000;
// `pt_`, not `pk_`: partner API keys start with `pk_`, and logs and secret scanners must tell them apart.
export const PRACTICE_TOKEN_RE = /^pt_[0-9A-Za-z]{32}$/;

const LIVE: PracticeStatus[] = ['invited', 'accepted', 'calling', 'in_call'];
const SYSTEM: AuditActor = { userId: null, role: 'system' };

export type PracticeRefusal = 'unknown' | 'wrong_agent' | 'used' | 'expired';
export type PracticeResolve = { ok: true; practiceCallId: string; trainerId: string } | { ok: false; reason: PracticeRefusal };

/** What a trainee sees of the scenario: never the customer's role notes or the pitfalls (trainer's side). */
export function traineeScenario(id: Scenario) {
  const card = scenarioCards.find((c) => c.id === id)!;
  return { id: card.id, title: card.title, context: card.context, objectives: card.objectives };
}

/**
 * Live practice calls (mises en situation) through the platform: the trainer invites a trainee,
 * the trainee accepts and gets a single-use practice token bound to itself; the proxy asks
 * `resolve` where it goes (the trainer's registered browser, never the trunk); call events and
 * the recording update the practice record. Every step is audited.
 */
export class PracticeSessions {
  constructor(private readonly app: FastifyInstance) {}

  private get db() {
    return this.app.db;
  }

  private notifyTrainee(traineeId: string, id: string, status: PracticeStatus): void {
    if (this.app.hasDecorator('realtime')) this.app.realtime.toAgent(traineeId, 'practice:closed', { practiceCallId: id, status });
  }

  /** Invitations and tokens past their time become `expired` (checked lazily, on every use). */
  async expireStale(now = new Date()): Promise<void> {
    const rows = await this.db
      .updateTable('practiceCalls')
      .set({ status: 'expired', endedAt: now })
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'invited'), eb('inviteExpiresAt', '<=', now)]),
          eb.and([eb('status', '=', 'accepted'), eb('tokenExpiresAt', '<=', now)]),
        ]),
      )
      .returning(['id', 'traineeId'])
      .execute();
    for (const r of rows) {
      await this.app.audit.record(SYSTEM, { action: 'practice_call.expired', targetType: 'practice_call', targetId: r.id });
      this.notifyTrainee(r.traineeId, r.id, 'expired');
    }
  }

  /** The trainer starts a practice call: the trainee's console is invited live. */
  async invite(actor: AuditActor & { userId: string }, input: { traineeId: string; scenario: Scenario; notes: string }, siteId: string | null): Promise<string> {
    await assertTraineeInScope(this.db, siteId, input.traineeId);
    await assertTrainee(this.db, input.traineeId);
    await this.expireStale();
    const now = new Date();
    const id = await this.db.transaction().execute(async (trx) => {
      // One live practice call per trainee at a time.
      await sql`select pg_advisory_xact_lock(hashtext(${`practice:${input.traineeId}`}))`.execute(trx);
      const live = await trx.selectFrom('practiceCalls').select('id').where('traineeId', '=', input.traineeId).where('status', 'in', LIVE).executeTakeFirst();
      if (live) throw conflict('PRACTICE_IN_PROGRESS', 'Ce stagiaire a déjà une mise en situation en cours.');
      return insertPracticeCall(trx, this.app.audit, actor, 'practice_call.start', this.app.config.EVALUATION_RETENTION_DAYS, {
        ...input,
        recordingId: null,
        startedAt: now,
        endedAt: null,
        status: 'invited',
        inviteExpiresAt: new Date(now.getTime() + PRACTICE_INVITE_TTL_MS),
      });
    });
    const invitation = await this.invitationFor(input.traineeId);
    if (invitation && this.app.hasDecorator('realtime')) this.app.realtime.toAgent(input.traineeId, 'practice:invite', invitation);
    return id;
  }

  /** The trainee's pending invitation (after a reload too), with the scenario as the trainee may see it. */
  async invitationFor(traineeId: string) {
    await this.expireStale();
    const row = await this.db
      .selectFrom('practiceCalls')
      .innerJoin('users', 'users.id', 'practiceCalls.trainerId')
      .select(['practiceCalls.id', 'scenario', 'users.displayName as trainerName', 'inviteExpiresAt'])
      .where('traineeId', '=', traineeId)
      .where('status', '=', 'invited')
      .orderBy('practiceCalls.startedAt', 'desc')
      .executeTakeFirst();
    if (!row) return null;
    return { practiceCallId: row.id, trainerName: row.trainerName, expiresAt: row.inviteExpiresAt!.toISOString(), scenario: traineeScenario(row.scenario) };
  }

  /**
   * The trainee accepts: a fresh single-use token (stored hashed) for its own softphone. A
   * trainee busy with a campaign call cannot; a ready or offered one is paused ("formation"),
   * an offered contact going back untouched.
   */
  async accept(actor: AuditActor & { userId: string }, id: string): Promise<{ token: string; expiresAt: string }> {
    await this.expireStale();
    const agent = await this.app.dialer.agents.get(actor.userId);
    if (agent && ['dialing', 'ringing', 'in_call', 'wrap_up'].includes(agent.status)) {
      throw conflict('AGENT_BUSY', 'Terminez d’abord votre appel en cours.');
    }
    if (agent && ['ready', 'offered'].includes(agent.status)) await this.app.dialer.pause(actor.userId, 'training', 'practice_call');
    const token = base62Token('pt_');
    const expiresAt = new Date(Date.now() + PRACTICE_TOKEN_TTL_MS);
    await this.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('practiceCalls')
        .set({ status: 'accepted', tokenHash: sha256Hex(token), tokenExpiresAt: expiresAt })
        .where('id', '=', id)
        .where('traineeId', '=', actor.userId)
        .where('status', '=', 'invited')
        .executeTakeFirst();
      if (r.numUpdatedRows === 0n) throw notFound('Invitation');
      await this.app.audit.record(actor, { action: 'practice_call.accept', targetType: 'practice_call', targetId: id }, trx);
    });
    return { token, expiresAt: expiresAt.toISOString() };
  }

  async decline(actor: AuditActor & { userId: string }, id: string): Promise<void> {
    await this.close(actor, id, 'declined', { traineeId: actor.userId }, ['invited']);
  }

  /** The trainer withdraws an invitation not dialled yet. */
  async cancel(actor: AuditActor & { userId: string }, id: string): Promise<void> {
    const traineeId = await this.close(actor, id, 'cancelled', { trainerId: actor.userId }, ['invited', 'accepted']);
    this.notifyTrainee(traineeId, id, 'cancelled');
  }

  private async close(actor: AuditActor, id: string, status: 'declined' | 'cancelled', owner: { traineeId: string } | { trainerId: string }, from: PracticeStatus[]): Promise<string> {
    return this.db.transaction().execute(async (trx) => {
      const [column, userId] = 'traineeId' in owner ? (['traineeId', owner.traineeId] as const) : (['trainerId', owner.trainerId] as const);
      const row = await trx
        .updateTable('practiceCalls')
        .set({ status, endedAt: new Date() })
        .where('id', '=', id)
        .where(column, '=', userId)
        .where('status', 'in', from)
        .returning('traineeId')
        .executeTakeFirst();
      if (!row) throw notFound('Invitation');
      await this.app.audit.record(actor, { action: `practice_call.${status === 'declined' ? 'decline' : 'cancel'}`, targetType: 'practice_call', targetId: id }, trx);
      return row.traineeId;
    });
  }

  /**
   * The proxy asks where a practice token goes: to the trainer's browser, if the token is this
   * trainee's, unused and unexpired. Marked used atomically; refusals audited. No number, ever.
   */
  async resolve(input: { token: string; agentUserId: string; callId: string }): Promise<PracticeResolve> {
    const now = new Date();
    const result = await this.db.transaction().execute(async (trx): Promise<PracticeResolve & { id?: string }> => {
      const row = PRACTICE_TOKEN_RE.test(input.token)
        ? await trx.selectFrom('practiceCalls').selectAll().where('tokenHash', '=', sha256Hex(input.token)).forUpdate().executeTakeFirst()
        : undefined;
      if (!row) return { ok: false, reason: 'unknown' };
      if (row.traineeId !== input.agentUserId) return { ok: false, reason: 'wrong_agent', id: row.id };
      if (row.tokenUsedAt || row.status !== 'accepted') return { ok: false, reason: 'used', id: row.id };
      if (!row.tokenExpiresAt || row.tokenExpiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired', id: row.id };
      await trx.updateTable('practiceCalls').set({ tokenUsedAt: now, status: 'calling', callId: input.callId }).where('id', '=', row.id).execute();
      return { ok: true, practiceCallId: row.id, trainerId: row.trainerId };
    });
    if (!result.ok) {
      await this.app.audit.record(
        { userId: input.agentUserId, role: 'trainee', ip: 'sip' },
        { action: 'practice_call.dial_refused', targetType: 'practice_call', ...(result.id ? { targetId: result.id } : {}), details: { reason: result.reason } },
      );
      return { ok: false, reason: result.reason };
    }
    return result;
  }

  async byCallId(callId: string) {
    return this.db.selectFrom('practiceCalls').select(['id', 'traineeId', 'status']).where('callId', '=', callId).executeTakeFirst();
  }

  /** Applies a call event once (Kamailio may repeat); returns false when already applied. */
  async report(ev: { practiceCallId: string; event: 'ringing' | 'answered' | 'ended'; at: Date; sipCode?: number; cause?: string; hungUpBy?: string }): Promise<boolean> {
    const q = this.db.updateTable('practiceCalls').where('id', '=', ev.practiceCallId);
    if (ev.event === 'ringing') return true;
    if (ev.event === 'answered') {
      const r = await q.set({ status: 'in_call', answeredAt: ev.at, startedAt: ev.at }).where('status', '=', 'calling').executeTakeFirst();
      return r.numUpdatedRows > 0n;
    }
    const row = await q
      .set((eb) => ({
        status: eb.case().when('answeredAt', 'is not', null).then(sql.lit('ended')).else(sql.lit('failed')).end() as never,
        endedAt: ev.at,
        sipCode: ev.sipCode ?? null,
        cause: ev.cause ?? null,
        hungUpBy: ev.hungUpBy ?? null,
        // The recording is stored next (TelephonyService.finish).
        recordingStatus: 'processing',
      }))
      .where('status', 'in', ['calling', 'in_call'])
      .returning(['traineeId', 'status', 'answeredAt'])
      .executeTakeFirst();
    if (!row) return false;
    const durationS = row.answeredAt ? Math.round((ev.at.getTime() - row.answeredAt.getTime()) / 1000) : 0;
    await this.app.audit.record(SYSTEM, {
      action: 'practice_call.ended',
      targetType: 'practice_call',
      targetId: ev.practiceCallId,
      details: { status: row.status, durationS, sipCode: ev.sipCode ?? null, cause: ev.cause ?? null, hungUpBy: ev.hungUpBy ?? null },
    });
    this.notifyTrainee(row.traineeId, ev.practiceCallId, row.status);
    return true;
  }

  async recordingStatus(practiceCallId: string, status: FinalRecordingStatus, recordingId: string | null = null): Promise<void> {
    await this.db
      .updateTable('practiceCalls')
      .set({ recordingStatus: status, ...(recordingId ? { recordingId } : {}) })
      .where('id', '=', practiceCallId)
      .execute();
    if (recordingId) {
      await this.app.audit.record(SYSTEM, { action: 'practice_call.recording_stored', targetType: 'practice_call', targetId: practiceCallId, details: { recordingId } });
    }
  }

  /** Calls still open (for the reconciliation against rtpengine). */
  async openCalls(olderThan: Date) {
    return this.db
      .selectFrom('practiceCalls')
      .select(['id', 'callId'])
      .where('status', 'in', ['calling', 'in_call'])
      .where('callId', 'is not', null)
      .where((eb) => eb(eb.fn.coalesce('answeredAt', 'startedAt'), '<', olderThan))
      .execute();
  }
}
