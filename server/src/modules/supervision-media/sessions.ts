import type { SupervisionEndReason, SupervisionSession } from '@passerelle/shared/events';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/database.ts';
import { conflict } from '../../lib/errors.ts';
import type { Realtime } from '../../plugins/realtime.ts';
import type { AuditService } from '../audit/service.ts';
import type { NgClient } from '../telephony/ng/client.ts';

export type { SupervisionSession };
export type SessionKind = SupervisionSession['kind'];

export interface SessionStart {
  attemptId: string;
  callId: string;
  agentUserId: string;
  kind: SessionKind;
  socketId: string;
  mediaTags: string[];
  supervisor: { userId: string; displayName: string; role: string; ip: string };
}

/** Open sessions as supervisors see them (supervisor snapshot, listen panel). */
export async function openSupervisionSessions(db: Db, where: { callId?: string } = {}): Promise<SupervisionSession[]> {
  let q = db
    .selectFrom('supervisionSessions as s')
    .innerJoin('users as u', 'u.id', 's.supervisorUserId')
    .select(['s.id', 's.attemptId', 's.agentUserId', 's.kind', 's.supervisorUserId', 'u.displayName', 's.startedAt'])
    .where('s.endedAt', 'is', null)
    .orderBy('s.startedAt');
  if (where.callId) q = q.where('s.callId', '=', where.callId);
  return (await q.execute()).map((r) => ({
    sessionId: r.id,
    attemptId: r.attemptId,
    agentUserId: r.agentUserId,
    kind: r.kind,
    supervisorUserId: r.supervisorUserId,
    supervisorName: r.displayName,
    startedAt: r.startedAt.toISOString(),
  }));
}

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505';

/**
 * Registry of live supervision (listen, whisper). Postgres holds it, so every instance sees the
 * same list and the audit gets exact durations; socket.io's Redis adapter carries the events.
 * A session ends when the trainer stops, when its /supervisor socket goes (tab closed, network
 * lost, instance gone — the sweep finds sockets no instance holds any more) or when the call ends.
 */
export class SupervisionSessions {
  constructor(
    private readonly deps: { db: Db; audit: AuditService; realtime: Realtime; ng: NgClient; log: FastifyBaseLogger },
  ) {}

  async start(s: SessionStart): Promise<SupervisionSession> {
    const { supervisor } = s;
    const row = await this.deps.db
      .transaction()
      .execute(async (trx) => {
        const inserted = await trx
          .insertInto('supervisionSessions')
          .values({ attemptId: s.attemptId, callId: s.callId, agentUserId: s.agentUserId, supervisorUserId: supervisor.userId, kind: s.kind, socketId: s.socketId, mediaTags: s.mediaTags })
          .returning(['id', 'startedAt'])
          .executeTakeFirstOrThrow();
        await this.deps.audit.record(
          { userId: supervisor.userId, role: supervisor.role, ip: supervisor.ip },
          { action: `supervision.${s.kind}`, targetType: 'call_attempt', targetId: s.attemptId, details: { sessionId: inserted.id } },
          trx,
        );
        return inserted;
      })
      .catch((err: unknown) => {
        if (s.kind === 'whisper' && isUniqueViolation(err)) throw conflict('WHISPER_BUSY', 'Un autre formateur chuchote déjà à ce conseiller.');
        throw err;
      });
    const session: SupervisionSession = {
      sessionId: row.id,
      attemptId: s.attemptId,
      agentUserId: s.agentUserId,
      kind: s.kind,
      supervisorUserId: supervisor.userId,
      supervisorName: supervisor.displayName,
      startedAt: row.startedAt.toISOString(),
    };
    this.deps.realtime.toSupervisors('supervision:started', session);
    if (s.kind === 'whisper') this.deps.realtime.toAgent(s.agentUserId, 'supervision:whisper', { attemptId: s.attemptId, active: true, by: supervisor.displayName });
    return session;
  }

  list = (callId?: string) => openSupervisionSessions(this.deps.db, callId ? { callId } : {});

  /** The open session `id`, if it belongs to `supervisorUserId`. */
  async own(id: string, supervisorUserId: string) {
    return this.deps.db
      .selectFrom('supervisionSessions')
      .selectAll()
      .where('id', '=', id)
      .where('supervisorUserId', '=', supervisorUserId)
      .where('endedAt', 'is', null)
      .executeTakeFirst();
  }

  /** The open whisper of a call, if any (the trainee subscribes to its tag). */
  async whisperOf(callId: string) {
    return this.deps.db.selectFrom('supervisionSessions').selectAll().where('callId', '=', callId).where('kind', '=', 'whisper').where('endedAt', 'is', null).executeTakeFirst();
  }

  stop = (id: string, ip: string) => this.end({ id }, 'stopped', ip);
  endBySocket = (socketId: string) => this.end({ socketId }, 'disconnected');
  /** Every call's end comes here and most calls were never supervised: one indexed read, not a transaction, for those. */
  endByCall = async (callId: string) => {
    const open = await this.deps.db.selectFrom('supervisionSessions').select('id').where('callId', '=', callId).where('endedAt', 'is', null).limit(1).executeTakeFirst();
    return open ? this.end({ callId }, 'call_ended') : 0;
  };

  /**
   * Ends the matching open sessions once (concurrent enders race on `ended_at is null`): frees
   * their rtpengine subscriptions while the call goes on, audits each end with its duration and
   * tells supervisors — and the trainee, for a whisper.
   */
  async end(match: { id?: string; socketId?: string; callId?: string }, reason: SupervisionEndReason, ip: string | null = null): Promise<number> {
    const { db, audit, realtime } = this.deps;
    const ended = await db.transaction().execute(async (trx) => {
      let q = trx.updateTable('supervisionSessions').set({ endedAt: new Date(), endReason: reason }).where('endedAt', 'is', null);
      if (match.id) q = q.where('id', '=', match.id);
      if (match.socketId) q = q.where('socketId', '=', match.socketId);
      if (match.callId) q = q.where('callId', '=', match.callId);
      const rows = await q.returningAll().execute();
      if (!rows.length) return [];
      const roles = new Map(
        (await trx.selectFrom('users').select(['id', 'role']).where('id', 'in', [...new Set(rows.map((r) => r.supervisorUserId))]).execute()).map((u) => [u.id, u.role]),
      );
      const out = [];
      for (const r of rows) {
        const durationSeconds = Math.max(0, Math.round((r.endedAt!.getTime() - r.startedAt.getTime()) / 1000));
        await audit.record(
          { userId: r.supervisorUserId, role: roles.get(r.supervisorUserId) ?? null, ip },
          { action: `supervision.${r.kind}_stop`, targetType: 'call_attempt', targetId: r.attemptId, details: { sessionId: r.id, durationSeconds, reason } },
          trx,
        );
        out.push({ ...r, durationSeconds });
      }
      return out;
    });
    for (const r of ended) {
      if (reason !== 'call_ended') await this.releaseMedia(r.callId, r.mediaTags, r.kind);
      realtime.toSupervisors('supervision:ended', { sessionId: r.id, attemptId: r.attemptId, durationSeconds: r.durationSeconds, reason });
      if (r.kind === 'whisper') realtime.toAgent(r.agentUserId, 'supervision:whisper', { attemptId: r.attemptId, active: false, by: null });
    }
    return ended.length;
  }

  /** Listen subscriptions are dropped in rtpengine; a whisper's monologue simply falls silent with the trainer's connection. */
  private async releaseMedia(callId: string, tags: string[], kind: SessionKind): Promise<void> {
    if (kind !== 'listen') return;
    for (const tag of tags) {
      await this.deps.ng.command('unsubscribe', { 'call-id': callId, 'to-tag': tag }).catch((err: unknown) => this.deps.log.debug({ err, callId }, 'unsubscribe failed'));
    }
  }

  /**
   * Safety net, on every instance's worker: sessions whose call ended (an event missed) or whose
   * socket no instance holds any more (an instance died before its disconnect handler ran).
   * `graceMs` spares sessions just being set up.
   */
  async sweep(graceMs = 10_000): Promise<number> {
    const { db, realtime } = this.deps;
    const open = await db
      .selectFrom('supervisionSessions as s')
      .innerJoin('sipCalls as c', 'c.callId', 's.callId')
      .select(['s.id', 's.socketId', 's.startedAt', 'c.endedAt as callEndedAt'])
      .where('s.endedAt', 'is', null)
      .execute();
    let n = 0;
    const old = Date.now() - graceMs;
    for (const s of open) {
      if (s.callEndedAt) n += await this.end({ id: s.id }, 'call_ended');
      else if (s.startedAt.getTime() < old && !(await realtime.supervisors.in(s.socketId).fetchSockets()).length) n += await this.end({ id: s.id }, 'disconnected');
    }
    return n;
  }
}
