import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AckResult, AgentSnapshot, OfferPayload, SupervisionSession, SupervisorSnapshot, WhisperNotice } from '@passerelle/shared/events';
import type { App } from '../src/app.ts';
import { startTwoInstances, type TwoInstances } from './app.ts';
import { login, seedFixture, type Fixture } from './fixtures.ts';
import { ask, openClient, seedRunningCampaign, wednesdayOffsetMin, type AgentClient, type SupervisorClient } from './dialer-fixtures.ts';

/**
 * The live supervision registry across two instances: who listens or whispers is in Postgres,
 * pushed to every supervisor; a session ends with its trainer's socket (on whichever instance it
 * lives), with the call, or by the sweep when the instance that held the socket is gone — and
 * each end is audited with its duration. Trainees hear of whispers only.
 */
let ctx: TwoInstances;
let second: App;
let fx: Fixture;
let urls: string[];
const sockets: { disconnect(): void }[] = [];
const SEAT = '127.0.0.1';

beforeAll(async () => {
  ctx = await startTwoInstances({ DIALER_RULES_CLOCK_OFFSET_MIN: String(wednesdayOffsetMin()), LOGIN_RATE_PER_MIN: '10000' });
  ({ second, urls } = ctx);
  fx = await seedFixture(ctx.app);
  await seedRunningCampaign(ctx.app, fx, { count: 6, trainees: [fx.users.trainee.id] });
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await ctx?.close();
});

async function open<T extends AgentClient | SupervisorClient>(url: string, ns: '/agent' | '/supervisor', username: string) {
  const { cookie, headers } = await login(ctx.app, username, SEAT);
  const { socket, log } = await openClient<T>(url, ns, cookie, sockets);
  return { socket, log, headers };
}

const trainee = () => open<AgentClient>(urls[0]!, '/agent', fx.users.trainee.username);

/** The trainee takes an offer and the call is answered: a live SIP call (no media: the registry only). */
async function liveCall(agent: Awaited<ReturnType<typeof trainee>>) {
  // After a qualification the trainee is ready again and may already hold the next offer.
  const snapshot = await ask<AgentSnapshot>((ack) => agent.socket.emit('snapshot:get', ack));
  let offer = snapshot.state.status === 'offered' ? snapshot.offer : null;
  if (!offer) {
    const mark = agent.log.mark;
    expect(await ask<AckResult>((ack) => agent.socket.emit('ready', ack))).toEqual({ ok: true });
    offer = await agent.log.next<OfferPayload>('offer', () => true, mark);
  }
  const callId = `call-${randomUUID()}`;
  const { service } = ctx.app.telephony;
  expect((await service.resolve(offer.token, fx.users.trainee.id, callId)).ok).toBe(true);
  await service.event({ event: 'answered', attemptId: offer.attemptId, callId, fromTag: 'agent-tag', toTag: 'customer-tag', at: String(Date.now() / 1000) });
  return { attemptId: offer.attemptId, callId };
}

/** The customer hangs up and the trainee qualifies the call (ready for the next one). */
async function endCall(agent: Awaited<ReturnType<typeof trainee>>, call: { attemptId: string; callId: string }) {
  await ctx.app.telephony.service.event({ event: 'ended', attemptId: call.attemptId, callId: call.callId, at: String(Date.now() / 1000), hungUpBy: 'customer', cause: 'bye' });
  const disposition = { attemptId: call.attemptId, disposition: { code: 'wrong_number' as const } };
  expect(await ask<AckResult>((ack) => agent.socket.emit('disposition', disposition, ack))).toEqual({ ok: true });
}

const supervisorOf = (user: { id: string }, displayName: string) => ({ userId: user.id, displayName, role: 'trainer', ip: '10.20.0.9' });

const stopsOf = (attemptId: string) =>
  ctx.app.db.selectFrom('auditLog').select(['action', 'actorUserId', 'details']).where('targetId', '=', attemptId).where('action', 'like', 'supervision.%_stop').orderBy('id').execute();

describe('supervision sessions', () => {
  it('lists listeners on every instance and ends a listen when its trainer’s socket goes', async () => {
    const agent = await trainee();
    const call = await liveCall(agent);
    // Trainer 1 on instance B, trainer 2 (who watches) on instance A.
    const t1 = await open<SupervisorClient>(urls[1]!, '/supervisor', fx.users.trainer.username);
    const t2 = await open<SupervisorClient>(urls[0]!, '/supervisor', fx.users.admin.username);
    const session = await ctx.app.supervision.sessions.start({
      attemptId: call.attemptId,
      callId: call.callId,
      agentUserId: fx.users.trainee.id,
      kind: 'listen',
      socketId: t1.socket.id!,
      mediaTags: [],
      supervisor: supervisorOf(fx.users.trainer, 'trainer'),
    });
    const seen = await t2.log.next<SupervisionSession>('supervision:started', (s) => s.sessionId === session.sessionId);
    expect(seen).toMatchObject({ attemptId: call.attemptId, kind: 'listen', supervisorUserId: fx.users.trainer.id, supervisorName: 'trainer' });
    await t1.log.next('supervision:started', (s: SupervisionSession) => s.sessionId === session.sessionId);
    // A snapshot from the other instance carries it too.
    const snap = await ask<SupervisorSnapshot>((ack) => t2.socket.emit('snapshot:get', ack));
    expect(snap.supervision.map((s) => s.sessionId)).toContain(session.sessionId);
    // Listening is discreet: the trainee is told nothing.
    expect(agent.log.events.some((e) => e.event.startsWith('supervision:'))).toBe(false);

    t1.socket.disconnect();
    const ended = await t2.log.next<{ sessionId: string; reason: string; durationSeconds: number }>('supervision:ended', (e) => e.sessionId === session.sessionId);
    expect(ended.reason).toBe('disconnected');
    const row = await ctx.app.db.selectFrom('supervisionSessions').selectAll().where('id', '=', session.sessionId).executeTakeFirstOrThrow();
    expect(row.endReason).toBe('disconnected');
    expect(row.endedAt).not.toBeNull();
    const [stop] = await stopsOf(call.attemptId);
    expect(stop).toMatchObject({ action: 'supervision.listen_stop', actorUserId: fx.users.trainer.id, details: { sessionId: session.sessionId, reason: 'disconnected', durationSeconds: ended.durationSeconds } });
    await endCall(agent, call);
  });

  it('whispers: the trainee is told at once, again on reconnect, and when it stops; one whisper at a time', async () => {
    const agent = await trainee();
    const call = await liveCall(agent);
    const t1 = await open<SupervisorClient>(urls[1]!, '/supervisor', fx.users.trainer.username);
    const { sessions } = second.supervision;
    const whisper = await sessions.start({
      attemptId: call.attemptId,
      callId: call.callId,
      agentUserId: fx.users.trainee.id,
      kind: 'whisper',
      socketId: t1.socket.id!,
      mediaTags: ['whisper-test'],
      supervisor: supervisorOf(fx.users.trainer, 'trainer'),
    });
    expect(await agent.log.next<WhisperNotice>('supervision:whisper')).toEqual({ attemptId: call.attemptId, active: true, by: 'trainer' });
    // A console reloaded mid-whisper learns it on connect.
    const reloaded = await trainee();
    expect(await reloaded.log.next<WhisperNotice>('supervision:whisper')).toEqual({ attemptId: call.attemptId, active: true, by: 'trainer' });
    await expect(
      sessions.start({ attemptId: call.attemptId, callId: call.callId, agentUserId: fx.users.trainee.id, kind: 'whisper', socketId: 'x', mediaTags: ['w2'], supervisor: supervisorOf(fx.users.admin, 'admin') }),
    ).rejects.toMatchObject({ code: 'WHISPER_BUSY' });

    // Stopped over HTTP by its owner only.
    const other = await login(ctx.app, fx.users.admin.username, SEAT);
    expect((await ctx.app.inject({ method: 'DELETE', url: `/api/supervision/sessions/${whisper.sessionId}`, headers: other.headers, remoteAddress: SEAT })).statusCode).toBe(404);
    const mine = await login(ctx.app, fx.users.trainer.username, SEAT);
    expect((await ctx.app.inject({ method: 'DELETE', url: `/api/supervision/sessions/${whisper.sessionId}`, headers: mine.headers, remoteAddress: SEAT })).statusCode).toBe(204);
    expect(await agent.log.next<WhisperNotice>('supervision:whisper', (n) => !n.active)).toEqual({ attemptId: call.attemptId, active: false, by: null });
    const [stop] = await stopsOf(call.attemptId);
    expect(stop).toMatchObject({ action: 'supervision.whisper_stop', details: { sessionId: whisper.sessionId, reason: 'stopped' } });
    expect(typeof (stop!.details as { durationSeconds: unknown }).durationSeconds).toBe('number');
    await endCall(agent, call);
  });

  it('ends every session of a call when the call ends, and the sweep ends what a dead instance left', async () => {
    const agent = await trainee();
    const call = await liveCall(agent);
    const t1 = await open<SupervisorClient>(urls[0]!, '/supervisor', fx.users.trainer.username);
    const start = (kind: 'listen' | 'whisper', socketId: string) =>
      ctx.app.supervision.sessions.start({ attemptId: call.attemptId, callId: call.callId, agentUserId: fx.users.trainee.id, kind, socketId, mediaTags: [], supervisor: supervisorOf(fx.users.trainer, 'trainer') });
    const a = await start('listen', t1.socket.id!);
    const b = await start('whisper', t1.socket.id!);
    await ctx.app.telephony.service.event({ event: 'ended', attemptId: call.attemptId, callId: call.callId, at: String(Date.now() / 1000), hungUpBy: 'customer', cause: 'bye' });
    const reasons = await Promise.all([a, b].map((s) => t1.log.next<{ sessionId: string; reason: string }>('supervision:ended', (e) => e.sessionId === s.sessionId)));
    expect(reasons.map((r) => r.reason)).toEqual(['call_ended', 'call_ended']);
    expect(await agent.log.next<WhisperNotice>('supervision:whisper', (n) => !n.active)).toMatchObject({ active: false });
    expect((await ctx.app.supervision.sessions.list(call.callId)).length).toBe(0);
    expect((await stopsOf(call.attemptId)).map((s) => (s.details as { reason: string }).reason)).toEqual(['call_ended', 'call_ended']);

    expect(await ask<AckResult>((ack) => agent.socket.emit('disposition', { attemptId: call.attemptId, disposition: { code: 'wrong_number' } }, ack))).toEqual({ ok: true });

    // A socket no instance holds (its instance died without a disconnect handler running).
    const next = await liveCall(agent);
    const ghost = await ctx.app.supervision.sessions.start({ attemptId: next.attemptId, callId: next.callId, agentUserId: fx.users.trainee.id, kind: 'listen', socketId: 'gone-socket-id', mediaTags: [], supervisor: supervisorOf(fx.users.trainer, 'trainer') });
    const live = await ctx.app.supervision.sessions.start({ attemptId: next.attemptId, callId: next.callId, agentUserId: fx.users.trainee.id, kind: 'listen', socketId: t1.socket.id!, mediaTags: [], supervisor: supervisorOf(fx.users.trainer, 'trainer') });
    expect(await second.supervision.sessions.sweep(0)).toBe(1);
    expect((await ctx.app.supervision.sessions.list(next.callId)).map((s) => s.sessionId)).toEqual([live.sessionId]);
    expect((await t1.log.next<{ sessionId: string; reason: string }>('supervision:ended', (e) => e.sessionId === ghost.sessionId)).reason).toBe('disconnected');
    await endCall(agent, next);
  });

  it('binds listen and whisper to the caller’s own live socket', async () => {
    const agent = await trainee();
    const call = await liveCall(agent);
    const admin = await open<SupervisorClient>(urls[1]!, '/supervisor', fx.users.admin.username);
    const { headers } = await login(ctx.app, fx.users.trainer.username, SEAT);
    for (const socketId of ['no-such-socket', admin.socket.id!]) {
      const res = await ctx.app.inject({ method: 'POST', url: `/api/supervision/calls/${call.attemptId}/listen`, headers, remoteAddress: SEAT, payload: { socketId } });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('SOCKET_GONE');
    }
    const trainees = await login(ctx.app, fx.users.trainee.username, SEAT);
    expect((await ctx.app.inject({ method: 'POST', url: `/api/supervision/calls/${call.attemptId}/listen`, headers: trainees.headers, remoteAddress: SEAT, payload: { socketId: 'x' } })).statusCode).toBe(403);
    await endCall(agent, call);
  });
});
