import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { AckResult, AgentSnapshot, AgentView, CallProgressPayload, OfferPayload, SupervisorSnapshot } from '@passerelle/shared/events';
import { LEGAL_CANVASSING_WINDOWS, nextCallableInstant } from '@passerelle/shared/calling-rules';
import { listenLocally, startSeededApp, type TestContext } from './app.ts';
import { login, type Fixture } from './fixtures.ts';
import { resolveCallToken } from '../src/modules/dialer/call-tokens.ts';
import { callProgress } from '../src/modules/calls/progress.ts';
import {
  ask,
  connectAs,
  numberForms,
  Recorder,
  seedAppointmentSlot,
  seedRunningCampaign,
  wednesdayOffsetMin,
  type AgentClient,
  type SeededCampaign,
  type SupervisorClient,
} from './dialer-fixtures.ts';

let ctx: TestContext;
let fx: Fixture;
let url: string;
let campaign: SeededCampaign;
let agent: AgentClient;
let supervisor: SupervisorClient;
const agentLog = new Recorder();
const supLog = new Recorder();
// 11:20 rather than 11:00: a retry two hours later must land in the lunch break whatever the
// test's pace (from about 11:00, a dispose at 10:59:59 retried at 12:59:59, in the window, while
// the check a moment later expected 14:00).
const offset = wednesdayOffsetMin() + 20;
/** "Now" as the calling rules see it in this test (an ordinary Wednesday, 11:20 in Guadeloupe). */
const rulesNow = () => new Date(Date.now() + offset * 60_000);

beforeAll(async () => {
  ({ ctx, fx } = await startSeededApp({ DIALER_RULES_CLOCK_OFFSET_MIN: String(offset), LOGIN_RATE_PER_MIN: '1000' }));
  url = await listenLocally(ctx.app);
  campaign = await seedRunningCampaign(ctx.app, fx, { count: 10, trainees: [fx.users.trainee.id] });
  const trainer = await login(ctx.app, fx.users.trainer.username, '127.0.0.1');
  supervisor = connectAs<SupervisorClient>(url, '/supervisor', trainer.cookie);
  supLog.attach(supervisor);
  await supLog.next<SupervisorSnapshot>('snapshot');
  const trainee = await login(ctx.app, fx.users.trainee.username, '127.0.0.1');
  agent = connectAs<AgentClient>(url, '/agent', trainee.cookie);
  agentLog.attach(agent);
});

afterAll(async () => {
  agent?.disconnect();
  supervisor?.disconnect();
  await ctx?.close();
});

const ready = () => ask<AckResult>((ack) => agent.emit('ready', ack));
const dispose = (attemptId: string, disposition: unknown) => ask<AckResult>((ack) => agent.emit('disposition', { attemptId, disposition } as never, ack));
const dialing = (attemptId: string) => ctx.app.db.selectFrom('contactsDialing').selectAll().where('attemptId', '=', attemptId).executeTakeFirst();
const contactOf = async (attemptId: string) => (await ctx.app.db.selectFrom('callAttempts').select('contactId').where('id', '=', attemptId).executeTakeFirstOrThrow()).contactId!;
const dialingOf = (contactId: string) => ctx.app.db.selectFrom('contactsDialing').selectAll().where('contactId', '=', contactId).executeTakeFirstOrThrow();

/** Dials the offer through the real token resolver and plays a call through callProgress. */
async function playCall(offer: OfferPayload, opts: { answered: boolean; sipCode?: number }) {
  const resolved = await resolveCallToken(ctx.app, { token: offer.token, agentUserId: fx.users.trainee.id });
  if (!resolved.ok) throw new Error(`resolve refused: ${resolved.reason}`);
  const progress = callProgress(ctx.app);
  const t0 = Date.now();
  await progress.report({ attemptId: offer.attemptId, event: 'ringing', at: new Date(t0 + 1000) });
  if (opts.answered) await progress.report({ attemptId: offer.attemptId, event: 'answered', at: new Date(t0 + 6000) });
  const mark = agentLog.mark;
  await progress.report({ attemptId: offer.attemptId, event: 'ended', at: new Date(t0 + 66_000), hungUpBy: 'customer', ...(opts.sipCode ? { sipCode: opts.sipCode } : {}) });
  return agentLog.next<CallProgressPayload>('call:progress', (p) => p.event === 'ended' && p.attemptId === offer.attemptId, mark);
}

describe('Ready → offer → call progress → disposition → next step', () => {
  let first: OfferPayload;

  it('sends a snapshot on connect, then an offer with the masked card and a token on Ready', async () => {
    const snap = await agentLog.next<AgentSnapshot>('snapshot');
    expect(snap.state.status).toBe('paused');
    const mark = agentLog.mark;
    expect(await ready()).toEqual({ ok: true });
    first = await agentLog.next<OfferPayload>('offer', () => true, mark);
    expect(first.token).toMatch(/^tk_[0-9A-Za-z]{32}$/);
    expect(first.card.phone).toMatch(/^06 90 •• •• \d\d$/);
    expect(first.card.name).toMatch(/^Prénom\d+ N\.$/);
    expect(first.script.steps.map((s) => s.kind)).toContain('legal_opening');
    expect(first.dispositions).toContain('appointment');
    expect(first.history).toEqual([]);
    const state = await agentLog.next<AgentView>('state', (s) => s.status === 'offered', mark);
    expect(state.attemptId).toBe(first.attemptId);
    // The supervisor on the same bus sees the new state and the live attempt.
    await supLog.next<AgentView>('agent:state', (s) => s.userId === fx.users.trainee.id && s.status === 'offered');
    await supLog.next('attempt:update', (a: { attemptId: string }) => a.attemptId === first.attemptId);
    const d = await dialing(first.attemptId);
    expect(d?.status).toBe('locked');
    expect(d?.lockedBy).toBe(fx.users.trainee.id);
  });

  it('resolves the token once, for its trainee only', async () => {
    expect(await resolveCallToken(ctx.app, { token: first.token, agentUserId: fx.users.trainee2.id })).toEqual({ ok: false, reason: 'wrong_agent' });
    expect(await resolveCallToken(ctx.app, { token: 'tk_' + 'x'.repeat(32), agentUserId: fx.users.trainee.id })).toEqual({ ok: false, reason: 'unknown' });
    // Two INVITEs with the same token at once: both read it unused, exactly one dials.
    const both = await Promise.all([0, 1].map(() => resolveCallToken(ctx.app, { token: first.token, agentUserId: fx.users.trainee.id })));
    const ok = both.find((r) => r.ok)!;
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(both.find((r) => !r.ok)).toEqual({ ok: false, reason: 'used' });
    expect(ok).toMatchObject({ ok: true, attemptId: first.attemptId, callerId: '+590947500000' });
    if (!ok.ok) return;
    expect(campaign.numbers).toContain(ok.destinationE164);
    expect(await resolveCallToken(ctx.app, { token: first.token, agentUserId: fx.users.trainee.id })).toEqual({ ok: false, reason: 'used' });
    const dialing = await ctx.app.db.selectFrom('contactsDialing').select('attempts').where('attemptId', '=', first.attemptId).executeTakeFirstOrThrow();
    expect(dialing.attempts).toBe(1);
    const audit = await ctx.app.db.selectFrom('auditLog').select(['action', 'details']).where('action', '=', 'call.dial_refused').execute();
    expect(audit.map((a) => (a.details as { reason: string }).reason).sort()).toEqual(['unknown', 'used', 'used', 'wrong_agent']);
    await agentLog.next<AgentView>('state', (s) => s.status === 'dialing');
  });

  it('drives the trainee through ringing, in call and wrap-up from call progress events', async () => {
    const progress = callProgress(ctx.app);
    const t0 = Date.now();
    await progress.report({ attemptId: first.attemptId, event: 'ringing', at: new Date(t0) });
    await agentLog.next<AgentView>('state', (s) => s.status === 'ringing');
    await progress.report({ attemptId: first.attemptId, event: 'answered', at: new Date(t0 + 5000) });
    await agentLog.next<AgentView>('state', (s) => s.status === 'in_call');
    await progress.report({ attemptId: first.attemptId, event: 'ended', at: new Date(t0 + 65_000), hungUpBy: 'customer', cause: 'normal' });
    const ended = await agentLog.next<CallProgressPayload>('call:progress', (p) => p.event === 'ended');
    expect(ended.suggestedOutcome).toBeNull();
    expect(ended.wrapUpDeadline).not.toBeNull();
    await agentLog.next<AgentView>('state', (s) => s.status === 'wrap_up');
    // A duplicate end event changes nothing.
    await progress.report({ attemptId: first.attemptId, event: 'ended', at: new Date(t0 + 70_000) });
    const attempt = await ctx.app.db.selectFrom('callAttempts').selectAll().where('id', '=', first.attemptId).executeTakeFirstOrThrow();
    expect(attempt).toMatchObject({ status: 'wrap_up', ringSeconds: 5, talkSeconds: 60, hungUpBy: 'customer' });
  });

  it('books an appointment slot, closes the contact and offers the next one', async () => {
    const slotId = await seedAppointmentSlot(ctx.app, fx, campaign.campaignId);
    expect(await dispose(first.attemptId, { code: 'wrong_code' })).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD' });
    const mark = agentLog.mark;
    expect(await dispose(first.attemptId, { code: 'appointment', slotId, channel: 'onsite' })).toEqual({ ok: true });
    const contactId = await contactOf(first.attemptId);
    expect(await dialingOf(contactId)).toMatchObject({ status: 'done', lastOutcome: 'appointment', attempts: 1, lockedBy: null });
    const slot = await ctx.app.db.selectFrom('appointmentSlots').select('booked').where('id', '=', slotId).executeTakeFirstOrThrow();
    expect(slot.booked).toBe(1);
    const next = await agentLog.next<OfferPayload>('offer', () => true, mark);
    expect(next.attemptId).not.toBe(first.attemptId);
    expect(next.slots.map((s) => s.id)).not.toContain(slotId); // full now
    first = next;
  });

  it('a skipped offer returns the contact untouched and another contact is offered', async () => {
    const skipped = first;
    const contactId = await contactOf(skipped.attemptId);
    const before = await dialingOf(contactId);
    const mark = agentLog.mark;
    expect(await ask<AckResult>((ack) => agent.emit('offer:skip', { attemptId: skipped.attemptId, reason: 'Client déjà rappelé' }, ack))).toEqual({ ok: true });
    const after = await dialingOf(contactId);
    expect(after).toMatchObject({ status: 'pending', attempts: before.attempts, lockedBy: null, attemptId: null });
    expect(after.nextAt.getTime()).toBe(before.nextAt.getTime());
    const next = await agentLog.next<OfferPayload>('offer', () => true, mark);
    expect(await contactOf(next.attemptId)).not.toBe(contactId);
    first = next;
  });

  it('no answer → retry in 2 hours (in the callee’s window)', async () => {
    const ended = await playCall(first, { answered: false, sipCode: 480 });
    expect(ended.suggestedOutcome).toBe('no_answer');
    const mark = agentLog.mark;
    expect(await dispose(first.attemptId, { code: 'no_answer' })).toEqual({ ok: true });
    const d = await dialingOf(await contactOf(first.attemptId));
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastOutcome: 'no_answer' });
    // Two hours later is 13:20 in Guadeloupe on the rules' day: the lunch break pushes it to 14:00.
    const expected = nextCallableInstant({ now: rulesNow(), notBefore: new Date(rulesNow().getTime() + 2 * 3600_000), type: 'appointment', territory: 'GP', timeZone: 'America/Guadeloupe', windows: LEGAL_CANVASSING_WINDOWS, skipHolidays: true });
    expect(Math.abs(d.nextAt.getTime() + offset * 60_000 - expected!.getTime())).toBeLessThan(60_000);
    expect(d.nextAt.getTime()).toBeGreaterThan(Date.now() + 2 * 3600_000 - 60_000);
    first = await agentLog.next<OfferPayload>('offer', () => true, mark);
  });

  it('a callback outside the callee’s window is refused; inside it is stored, reserved, and a delayed job scheduled', async () => {
    await playCall(first, { answered: true });
    // 22:00 in Guadeloupe on the rules' day: outside the window.
    const base = rulesNow();
    const late = new Date(Date.UTC(base.getUTCFullYear(), base.getUTCMonth(), base.getUTCDate() + 1, 2) - offset * 60_000);
    expect(await dispose(first.attemptId, { code: 'callback', at: late.toISOString(), reservedToMe: true })).toMatchObject({ ok: false, code: 'CALLBACK_OUTSIDE_WINDOW' });
    const at = new Date(Date.now() + 3600_000);
    const mark = agentLog.mark;
    expect(await dispose(first.attemptId, { code: 'callback', at: at.toISOString(), reservedToMe: true })).toEqual({ ok: true });
    const contactId = await contactOf(first.attemptId);
    expect((await dialingOf(contactId)).status).toBe('callback');
    const cb = await ctx.app.db.selectFrom('callbacks').selectAll().where('contactId', '=', contactId).executeTakeFirstOrThrow();
    expect(cb).toMatchObject({ status: 'pending', reservedTo: fx.users.trainee.id });
    const job = await ctx.app.redis.exists(`${ctx.config.REDIS_PREFIX}:dialer:cb-${cb.id}`);
    expect(job).toBe(1);
    first = await agentLog.next<OfferPayload>('offer', () => true, mark);
    // Make the callback due: it is offered first, flagged as reserved to this trainee.
    await ctx.app.db.updateTable('callbacks').set({ dueAt: new Date(Date.now() - 1000) }).where('id', '=', cb.id).execute();
    const skipMark = agentLog.mark;
    await ask<AckResult>((ack) => agent.emit('offer:skip', { attemptId: first.attemptId, reason: 'test' }, ack));
    const cbOffer = await agentLog.next<OfferPayload>('offer', () => true, skipMark);
    expect(cbOffer.callback).toMatchObject({ reservedToMe: true });
    expect(cbOffer.history.length).toBe(1);
    first = cbOffer;
  });

  it('not interested → refused (quiet period); opt-out → partner opt-out list', async () => {
    await playCall(first, { answered: true });
    let mark = agentLog.mark;
    expect(await dispose(first.attemptId, { code: 'not_interested' })).toEqual({ ok: true });
    const refused = await dialingOf(await contactOf(first.attemptId));
    expect(refused.status).toBe('refused');
    expect(await ctx.app.db.selectFrom('callbacks').select('status').where('contactId', '=', refused.contactId).executeTakeFirst()).toEqual({ status: 'done' });
    first = await agentLog.next<OfferPayload>('offer', () => true, mark);
    await playCall(first, { answered: true });
    mark = agentLog.mark;
    expect(await dispose(first.attemptId, { code: 'opt_out' })).toEqual({ ok: true });
    const opted = await dialingOf(await contactOf(first.attemptId));
    expect(opted.status).toBe('opted_out');
    const optOut = await ctx.app.db.selectFrom('optOuts').selectAll().where('phoneHmac', '=', opted.phoneHmac).executeTakeFirst();
    expect(optOut?.source).toBe(`call:${first.attemptId}`);
    first = await agentLog.next<OfferPayload>('offer', () => true, mark);
  });

  it('an offer not dialled in time goes back untouched and the trainee is paused', async () => {
    const contactId = await contactOf(first.attemptId);
    const mark = agentLog.mark;
    await ctx.app.dialer.sweep(new Date(Date.now() + 121_000));
    await agentLog.next('offer:withdrawn', (p: { attemptId: string }) => p.attemptId === first.attemptId, mark);
    await agentLog.next<AgentView>('state', (s) => s.status === 'paused', mark);
    expect(await dialingOf(contactId)).toMatchObject({ status: 'pending', lockedBy: null });
    expect(await resolveCallToken(ctx.app, { token: first.token, agentUserId: fx.users.trainee.id })).toEqual({ ok: false, reason: 'expired' });
    await supLog.next('alert', (a: { kind: string }) => a.kind === 'offer_expired');
  });

  it('a console that stops heart-beating is paused (technical) and supervisors are alerted', async () => {
    const mark = agentLog.mark;
    expect(await ready()).toEqual({ ok: true });
    const offer = await agentLog.next<OfferPayload>('offer', () => true, mark);
    const contactId = await contactOf(offer.attemptId);
    await sql`update agent_presence set last_heartbeat_at = now() - interval '45 seconds' where user_id = ${fx.users.trainee.id}`.execute(ctx.app.db);
    await ctx.app.dialer.sweep();
    const state = await agentLog.next<AgentView>('state', (s) => s.status === 'paused' && s.reason === 'technical', mark);
    expect(state.attemptId).toBeNull();
    await supLog.next('alert', (a: { kind: string; userId: string }) => a.kind === 'heartbeat_lost' && a.userId === fx.users.trainee.id);
    expect(await dialingOf(contactId)).toMatchObject({ status: 'pending', lockedBy: null });
  });

  it('heartbeats are written within a second (batched) and keep a console from being paused', async () => {
    const heartbeatAge = async () =>
      (await sql<{ age: number }>`select extract(epoch from now() - last_heartbeat_at)::float as age from agent_presence where user_id = ${fx.users.trainee.id}`.execute(ctx.app.db)).rows[0]!.age;
    await sql`update agent_presence set last_heartbeat_at = now() - interval '45 seconds' where user_id = ${fx.users.trainee.id}`.execute(ctx.app.db);
    agent.emit('heartbeat');
    const deadline = Date.now() + 3000;
    while ((await heartbeatAge()) > 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await heartbeatAge()).toBeLessThan(5);
    const before = (await ctx.app.dialer.agents.get(fx.users.trainee.id))!;
    await ctx.app.dialer.sweep();
    expect((await ctx.app.dialer.agents.get(fx.users.trainee.id))!.status).toBe(before.status);
  });

  it('a state change from a stale read writes nothing (the agent moved meanwhile)', async () => {
    const agents = ctx.app.dialer.agents;
    const stale = (await agents.get(fx.users.trainee.id))!;
    const moved = await agents.applyIfCurrent(stale, stale.status === 'paused' ? { type: 'ready' } : { type: 'pause', reason: 'break' });
    expect(moved).not.toBeNull();
    const logged = await ctx.app.db.selectFrom('agentStateLog').select((eb) => eb.fn.countAll<number>().as('n')).where('userId', '=', fx.users.trainee.id).executeTakeFirstOrThrow();
    expect(await agents.applyIfCurrent(stale, stale.status === 'paused' ? { type: 'ready' } : { type: 'pause', reason: 'break' })).toBeNull();
    expect(await agents.get(fx.users.trainee.id)).toMatchObject({ status: moved!.next.status, since: moved!.next.since });
    const after = await ctx.app.db.selectFrom('agentStateLog').select((eb) => eb.fn.countAll<number>().as('n')).where('userId', '=', fx.users.trainee.id).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(logged.n));
    await ctx.app.dialer.pause(fx.users.trainee.id, 'pause');
  });

  it('a supervisor force-pauses (audited); the snapshot on reconnect is complete', async () => {
    const mark = agentLog.mark;
    expect(await ready()).toEqual({ ok: true });
    await agentLog.next<AgentView>('state', (s) => s.status === 'offered', mark);
    const r = await ask<AckResult>((ack) => supervisor.emit('agent:force_pause', { userId: fx.users.trainee.id, reason: 'training' }, ack));
    expect(r).toEqual({ ok: true });
    await agentLog.next<AgentView>('state', (s) => s.status === 'paused' && s.reason === 'training');
    const audit = await ctx.app.db.selectFrom('auditLog').select('action').where('action', '=', 'agent.force_pause').execute();
    expect(audit).toHaveLength(1);
    const snap = await ask<AgentSnapshot>((ack) => agent.emit('snapshot:get', ack));
    expect(snap).toMatchObject({ state: { status: 'paused', reason: 'training' }, offer: null, call: null });
    const sup = await ask<SupervisorSnapshot>((ack) => supervisor.emit('snapshot:get', ack));
    expect(sup.agents.find((a) => a.userId === fx.users.trainee.id)?.status).toBe('paused');
    const counters = sup.campaigns.find((c) => c.campaignId === campaign.campaignId)!;
    expect(counters.appointments).toBe(1);
    expect(counters.remaining).toBeGreaterThan(0);
    // A small campaign's remaining count is exact at once (only slow counts are reused).
    const pending = await ctx.app.db.selectFrom('contactsDialing').select('contactId').where('campaignId', '=', campaign.campaignId).where('status', '=', 'pending').executeTakeFirstOrThrow();
    await ctx.app.db.updateTable('contactsDialing').set({ status: 'done' }).where('contactId', '=', pending.contactId).execute();
    const again = (await ctx.app.dialer.counters()).find((c) => c.campaignId === campaign.campaignId)!;
    expect(again.remaining).toBe(counters.remaining - 1);
  });

  it('never sent the trainee a phone number, a hidden field or a hash', async () => {
    const everything = JSON.stringify(agentLog.events);
    expect(agentLog.events.filter((e) => e.event === 'offer').length).toBeGreaterThanOrEqual(6);
    for (const n of campaign.numbers) for (const form of numberForms(n)) expect(everything).not.toContain(form);
    const hmacs = await ctx.app.db.selectFrom('contactsDialing').select('phoneHmac').where('campaignId', '=', campaign.campaignId).execute();
    for (const { phoneHmac } of hmacs) expect(everything).not.toContain(phoneHmac);
    // Default masking policy: last names reduced to an initial, customer references hidden.
    expect(everything).not.toMatch(/Nom\d/);
    expect(everything).not.toMatch(/REF-1000/);
    expect(everything).not.toContain('97122');
  });
});

describe('campaign engine', () => {
  it('refuses windows wider than the law and audits each status change', async () => {
    const admin = await login(ctx.app, fx.users.admin.username, '10.20.0.200');
    const pause = await ctx.app.inject({ method: 'POST', url: `/api/campaigns/${campaign.campaignId}/transition`, headers: admin.headers, remoteAddress: '10.20.0.200', payload: { to: 'paused' } });
    expect(pause.statusCode).toBe(200);
    const wide = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/campaigns/${campaign.campaignId}/dialing`,
      headers: admin.headers,
      remoteAddress: '10.20.0.200',
      payload: { windows: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '13:00' }] },
    });
    expect(wide.statusCode).toBe(400);
    expect(wide.json().error.code).toBe('INVALID_SETTINGS');
    const back = await ctx.app.inject({ method: 'POST', url: `/api/campaigns/${campaign.campaignId}/transition`, headers: admin.headers, remoteAddress: '10.20.0.200', payload: { to: 'draft' } });
    expect(back.statusCode).toBe(409);
    const trainee = await login(ctx.app, fx.users.trainee2.username, '10.20.0.31');
    const forbidden = await ctx.app.inject({ method: 'GET', url: `/api/campaigns/${campaign.campaignId}/dialing`, headers: trainee.headers, remoteAddress: '10.20.0.31' });
    expect(forbidden.statusCode).toBe(403);
    const changes = await ctx.app.db.selectFrom('auditLog').select('details').where('action', '=', 'campaign.status_changed').where('targetId', '=', campaign.campaignId).orderBy('id').execute();
    expect(changes.map((c) => (c.details as { to: string }).to)).toEqual(['ready', 'running', 'paused']);
  });
});

describe('working-time report', () => {
  it('cuts states at midnight in the site’s zone and sums them per day', async () => {
    const id = fx.users.trainee2.id;
    // 23:30–00:30 paused then 00:30–01:00 ready, Guadeloupe time (UTC−4), across 1–2 June 2026.
    await ctx.app.db
      .insertInto('agentStateLog')
      .values([
        { userId: id, status: 'paused', reason: 'break', startedAt: '2026-06-02T03:30:00Z', endedAt: '2026-06-02T04:30:00Z', cause: 'test' },
        { userId: id, status: 'ready', reason: null, startedAt: '2026-06-02T04:30:00Z', endedAt: '2026-06-02T05:00:00Z', cause: 'test' },
      ])
      .execute();
    const trainer = await login(ctx.app, fx.users.trainer.username, '10.20.0.201');
    const res = await ctx.app.inject({ url: `/api/reports/hours?from=2026-06-01T04:00:00Z&to=2026-06-03T04:00:00Z&userId=${id}`, headers: trainer.headers, remoteAddress: '10.20.0.201' });
    expect(res.json().items).toEqual([
      { userId: id, displayName: 'Conseiller trainee2', period: '2026-06-01', workedMinutes: 30, productiveMinutes: 0, inCallMinutes: 0, pausedMinutes: 30 },
      { userId: id, displayName: 'Conseiller trainee2', period: '2026-06-02', workedMinutes: 60, productiveMinutes: 30, inCallMinutes: 0, pausedMinutes: 30 },
    ]);
  });

  it('gives each trainee’s hours by day, as JSON and CSV', async () => {
    const trainer = await login(ctx.app, fx.users.trainer.username, '10.20.0.201');
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const json = await ctx.app.inject({ url: `/api/reports/hours?from=${from}&to=${to}`, headers: trainer.headers, remoteAddress: '10.20.0.201' });
    expect(json.statusCode).toBe(200);
    const row = json.json().items.find((r: { userId: string }) => r.userId === fx.users.trainee.id);
    expect(row.workedMinutes).toBeGreaterThanOrEqual(row.productiveMinutes);
    const csv = await ctx.app.inject({ url: `/api/reports/hours?from=${from}&to=${to}&format=csv&group=week`, headers: trainer.headers, remoteAddress: '10.20.0.201' });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('Conseiller;Semaine du;Minutes connecté;Minutes en production;Minutes en appel;Minutes en pause');
    // Decimal comma: French Excel reads the minutes as numbers.
    expect(csv.body).toMatch(/\r\nConseiller trainee;\d{4}-\d{2}-\d{2};\d+(,\d+)?;\d+(,\d+)?;/);
    expect(csv.body).not.toMatch(/;\d+\.\d+/);
  });
});
