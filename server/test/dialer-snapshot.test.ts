import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AckResult, AgentSnapshot, AgentView, CallProgressPayload, OfferPayload } from '@passerelle/shared/events';
import { listenLocally, startSeededApp, type TestContext } from './app.ts';
import { login, type Fixture } from './fixtures.ts';
import { callProgress } from '../src/modules/calls/progress.ts';
import { addOptOut } from '../src/modules/blocklists/service.ts';
import { dialerLink } from '../src/modules/telephony/dialer-link.ts';
import { ask, openClient, seedAppointmentSlot, seedRunningCampaign, wednesdayOffsetMin, type AgentClient, type SeededCampaign } from './dialer-fixtures.ts';

/** Follow-ups to the dialer: snapshot during a call, partner name, today's figures, HTTP logout, refused dials. */

let ctx: TestContext;
let fx: Fixture;
let url: string;
let campaign: SeededCampaign;
let cookie: string;
const SEAT = '127.0.0.1';
const clients: AgentClient[] = [];

beforeAll(async () => {
  ({ ctx, fx } = await startSeededApp({ DIALER_RULES_CLOCK_OFFSET_MIN: String(wednesdayOffsetMin()), LOGIN_RATE_PER_MIN: '1000' }));
  url = await listenLocally(ctx.app);
  campaign = await seedRunningCampaign(ctx.app, fx, { count: 6, trainees: [fx.users.trainee.id] });
  cookie = (await login(ctx.app, fx.users.trainee.username, SEAT)).cookie;
});

afterAll(async () => {
  for (const c of clients) c.disconnect();
  await ctx?.close();
});

/** A console (a fresh page load): its recorder and the snapshot it got on connect. */
const openConsole = () => openClient<AgentClient, AgentSnapshot>(url, '/agent', cookie, clients);

describe('dialer follow-ups', () => {
  let offer: OfferPayload;
  let slotId: string;

  it('offers carry the partner name', async () => {
    slotId = await seedAppointmentSlot(ctx.app, fx, campaign.campaignId);
    const { socket, log } = await openConsole();
    const mark = log.mark;
    expect(await ask<AckResult>((ack) => socket.emit('ready', ack))).toEqual({ ok: true });
    offer = await log.next<OfferPayload>('offer', () => true, mark);
    expect(offer.campaign).toMatchObject({ id: campaign.campaignId, partnerName: 'Partenaire A' });
  });

  // Regression guard: dialerLink passes the app itself, which carries `redis`, so a refusal re-dispatches at once.
  it('a refused dial through telephony offers the next contact at once (no sweep)', async () => {
    const { log } = await openConsole();
    const mark = log.mark;
    const d = await ctx.app.db.selectFrom('contactsDialing').select(['partnerId', 'phoneHmac']).where('attemptId', '=', offer.attemptId).executeTakeFirstOrThrow();
    await addOptOut(ctx.app.db, d.partnerId, d.phoneHmac, 'test');
    const refused = await dialerLink(ctx.app).resolve({ token: offer.token, agentUserId: fx.users.trainee.id });
    expect(refused).toEqual({ ok: false, reason: 'blocked' });
    const next = await log.next<OfferPayload>('offer', (o) => o.attemptId !== offer.attemptId, mark);
    offer = next;
  });

  it('a reload during the call and in wrap-up restores card, script, dispositions and slots; the appointment books', async () => {
    const link = dialerLink(ctx.app);
    const resolved = await link.resolve({ token: offer.token, agentUserId: fx.users.trainee.id });
    expect(resolved.ok).toBe(true);
    const expectDetails = (snap: AgentSnapshot, status: string) => {
      expect(snap.call).toMatchObject({ attemptId: offer.attemptId, status });
      expect(snap.offer).toMatchObject({ attemptId: offer.attemptId, card: offer.card, script: offer.script, dispositions: offer.dispositions, campaign: offer.campaign, history: offer.history });
      expect(snap.offer?.slots.map((s) => s.id)).toContain(slotId);
    };
    expectDetails((await openConsole()).snapshot, 'dialing');
    const t0 = Date.now();
    await callProgress(ctx.app).report({ attemptId: offer.attemptId, event: 'ringing', at: new Date(t0) });
    expectDetails((await openConsole()).snapshot, 'ringing');
    await callProgress(ctx.app).report({ attemptId: offer.attemptId, event: 'answered', at: new Date(t0 + 5000) });
    expectDetails((await openConsole()).snapshot, 'in_call');
    const before = await openConsole();
    const mark = before.log.mark;
    await callProgress(ctx.app).report({ attemptId: offer.attemptId, event: 'ended', at: new Date(t0 + 47_000), hungUpBy: 'customer' });
    await before.log.next<CallProgressPayload>('call:progress', (p) => p.event === 'ended', mark);
    const reloaded = await openConsole();
    expectDetails(reloaded.snapshot, 'wrap_up');
    const chosen = reloaded.snapshot.offer!.slots.find((s) => s.id === slotId)!;
    const disposed = await ask<AckResult>((ack) => reloaded.socket.emit('disposition', { attemptId: offer.attemptId, disposition: { code: 'appointment', slotId: chosen.id, channel: 'onsite' } } as never, ack));
    expect(disposed).toEqual({ ok: true });
    const slot = await ctx.app.db.selectFrom('appointmentSlots').select('booked').where('id', '=', slotId).executeTakeFirstOrThrow();
    expect(slot.booked).toBe(1);
  });

  it('GET /api/agents/me/today gives the trainee’s calls, talk time and appointments of the site day', async () => {
    const trainee = await login(ctx.app, fx.users.trainee.username, SEAT);
    const res = await ctx.app.inject({ url: '/api/agents/me/today', headers: trainee.headers, remoteAddress: SEAT });
    expect(res.statusCode).toBe(200);
    // The refused dial never counted (not dialled); the answered call did: 42 s of talk, one appointment.
    expect(res.json()).toEqual({ calls: 1, talkSeconds: 42, appointments: 1 });
    const other = await login(ctx.app, fx.users.trainee2.username, '10.20.0.31');
    const none = await ctx.app.inject({ url: '/api/agents/me/today', headers: other.headers, remoteAddress: '10.20.0.31' });
    expect(none.json()).toEqual({ calls: 0, talkSeconds: 0, appointments: 0 });
    const trainer = await login(ctx.app, fx.users.trainer.username, '10.20.0.201');
    const forbidden = await ctx.app.inject({ url: '/api/agents/me/today', headers: trainer.headers, remoteAddress: '10.20.0.201' });
    expect(forbidden.statusCode).toBe(403);
  });

  it('an HTTP logout takes the trainee offline and gives its offer back untouched', async () => {
    // The appointment's disposition left the trainee Ready, so it already holds the next offer.
    const { log, snapshot } = await openConsole();
    const mark = log.mark;
    const held = snapshot.offer!;
    expect(snapshot.call?.status).toBe('offered');
    const contactBefore = await ctx.app.db.selectFrom('contactsDialing').select(['contactId', 'attempts', 'nextAt']).where('attemptId', '=', held.attemptId).executeTakeFirstOrThrow();
    const session = await login(ctx.app, fx.users.trainee.username, SEAT);
    const out = await ctx.app.inject({ method: 'POST', url: '/api/auth/logout', headers: session.headers, remoteAddress: SEAT });
    expect(out.statusCode).toBe(204);
    await log.next<AgentView>('state', (s) => s.status === 'offline', mark);
    const presence = await ctx.app.db.selectFrom('agentPresence').select(['status', 'attemptId']).where('userId', '=', fx.users.trainee.id).executeTakeFirstOrThrow();
    expect(presence).toEqual({ status: 'offline', attemptId: null });
    // Offline is the absence of an open state in the working-time log.
    const open = await ctx.app.db.selectFrom('agentStateLog').select('status').where('userId', '=', fx.users.trainee.id).where('endedAt', 'is', null).execute();
    expect(open).toEqual([]);
    const contact = await ctx.app.db.selectFrom('contactsDialing').select(['status', 'attempts', 'nextAt', 'lockedBy']).where('contactId', '=', contactBefore.contactId).executeTakeFirstOrThrow();
    expect(contact).toEqual({ status: 'pending', attempts: contactBefore.attempts, nextAt: contactBefore.nextAt, lockedBy: null });
  });
});
