import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AckResult, AgentView, OfferPayload } from '@passerelle/shared/events';
import type { App } from '../src/app.ts';
import { startTwoInstances, type TwoInstances } from './app.ts';
import { login, seedFixture, type Fixture } from './fixtures.ts';
import { resolveCallToken } from '../src/modules/dialer/call-tokens.ts';
import { callProgress } from '../src/modules/calls/progress.ts';
import { addTrainees, ask, connectAs, openClient, seedRunningCampaign, wednesdayOffsetMin, type AgentClient, type SupervisorClient } from './dialer-fixtures.ts';

/**
 * Two server instances on one Postgres and one Redis (as behind a load balancer): a supervisor on
 * one sees every change made on the other, and no contact is ever held by two trainees.
 */
let ctx: TwoInstances;
let second: App;
let fx: Fixture;
let urls: string[];
const sockets: { disconnect(): void }[] = [];
const offset = wednesdayOffsetMin();

beforeAll(async () => {
  ctx = await startTwoInstances({ DIALER_RULES_CLOCK_OFFSET_MIN: String(offset), LOGIN_RATE_PER_MIN: '10000' });
  ({ second, urls } = ctx);
  fx = await seedFixture(ctx.app);
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await ctx?.close();
});

describe('two instances', () => {
  it('a supervisor on instance B sees every change of a trainee on instance A', async () => {
    await seedRunningCampaign(ctx.app, fx, { count: 3, trainees: [fx.users.trainee.id] });
    const trainer = await login(second, fx.users.trainer.username, '127.0.0.1');
    const { socket: sup, log: supLog } = await openClient<SupervisorClient>(urls[1]!, '/supervisor', trainer.cookie, sockets);
    const t = await login(ctx.app, fx.users.trainee.username, '127.0.0.1');
    const { socket: agent, log: agentLog } = await openClient<AgentClient>(urls[0]!, '/agent', t.cookie, sockets);
    expect(await ask<AckResult>((ack) => agent.emit('ready', ack))).toEqual({ ok: true });
    const offer = await agentLog.next<OfferPayload>('offer');
    const seen = (status: string) => supLog.next<AgentView>('agent:state', (s) => s.userId === fx.users.trainee.id && s.status === status);
    await seen('ready');
    await seen('offered');
    await supLog.next('attempt:update', (a: { attemptId: string; status: string }) => a.attemptId === offer.attemptId && a.status === 'offered');
    // Telephony reports through instance B; the trainee on A follows.
    expect((await resolveCallToken(second, { token: offer.token, agentUserId: fx.users.trainee.id })).ok).toBe(true);
    await seen('dialing');
    await callProgress(second).report({ attemptId: offer.attemptId, event: 'answered', at: new Date() });
    await seen('in_call');
    await agentLog.next('call:progress', (p: { event: string }) => p.event === 'answered');
    await callProgress(ctx.app).report({ attemptId: offer.attemptId, event: 'ended', at: new Date(Date.now() + 30_000) });
    await seen('wrap_up');
    expect(await ask<AckResult>((ack) => agent.emit('disposition', { attemptId: offer.attemptId, disposition: { code: 'wrong_number' } }, ack))).toEqual({ ok: true });
    await supLog.next('attempt:closed', (p: { attemptId: string; outcome: string }) => p.attemptId === offer.attemptId && p.outcome === 'wrong_number');
    // A forced pause issued on B reaches the trainee on A.
    expect(await ask<AckResult>((ack) => sup.emit('agent:force_pause', { userId: fx.users.trainee.id, reason: 'break' }, ack))).toEqual({ ok: true });
    await agentLog.next<AgentView>('state', (s) => s.status === 'paused' && s.reason === 'break');
  });

  it('eight trainees split over both instances never get the same contact', async () => {
    const trainees = await addTrainees(ctx.app, fx, 8, 'mi');
    const c = await seedRunningCampaign(ctx.app, fx, { count: 40, trainees: trainees.map((t) => t.id), firstNumber: 100 });
    const apps = [ctx.app, second];
    const offersSeen: string[] = [];
    const finished = new Promise<void>((resolve) => {
      let done = 0;
      trainees.forEach(async (t, i) => {
        const session = await login(apps[i % 2]!, t.username, '127.0.0.1');
        const socket = connectAs<AgentClient>(urls[i % 2]!, '/agent', session.cookie);
        sockets.push(socket);
        socket.on('offer', async (offer) => {
          offersSeen.push(offer.attemptId);
          const via = apps[Math.floor(Math.random() * 2)]!;
          const r = await resolveCallToken(via, { token: offer.token, agentUserId: t.id });
          if (!r.ok) return;
          // Answered, then a final outcome: each contact is called once.
          await callProgress(via).report({ attemptId: offer.attemptId, event: 'answered', at: new Date() });
          await callProgress(via).report({ attemptId: offer.attemptId, event: 'ended', at: new Date(Date.now() + 1000), sipCode: 200 });
          const ack = await ask<AckResult>((cb) => socket.emit('disposition', { attemptId: offer.attemptId, disposition: { code: 'wrong_number' } }, cb));
          expect(ack).toEqual({ ok: true });
          if (++done === 40) resolve();
        });
        socket.on('snapshot', () => socket.emit('ready', () => undefined));
      });
    });
    await finished;
    const attempts = await ctx.app.db.selectFrom('callAttempts').select(['contactId', 'agentUserId', 'outcome', 'offeredAt', 'closedAt']).where('campaignId', '=', c.campaignId).execute();
    const perContact = new Map<string, number>();
    for (const a of attempts) perContact.set(a.contactId!, (perContact.get(a.contactId!) ?? 0) + 1);
    expect(perContact.size).toBe(40);
    expect([...perContact.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(offersSeen).size).toBe(offersSeen.length);
    const statuses = await ctx.app.db.selectFrom('contactsDialing').select('status').where('campaignId', '=', c.campaignId).execute();
    expect(statuses.every((s) => s.status === 'done')).toBe(true);
    // Both instances assigned work.
    expect(new Set(attempts.map((a) => a.agentUserId)).size).toBe(8);
  });
});
