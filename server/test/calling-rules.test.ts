import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestContext } from './app.ts';
import { login, seedFixture, type Fixture } from './fixtures.ts';
import { resolveCallToken } from '../src/modules/dialer/call-tokens.ts';
import { callProgress } from '../src/modules/calls/progress.ts';
import { seedRunningCampaign, wednesdayOffsetMin, type SeededCampaign } from './dialer-fixtures.ts';

/**
 * Calling rules enforced at assignment and at dial time, against real Postgres/Redis:
 * the per-partner rolling attempt cap, the quiet period after a refusal, blocklists, the
 * callee's window, and retry timing / max attempts per outcome.
 */
let ctx: TestContext;
let fx: Fixture;
let a: SeededCampaign;
let b: SeededCampaign;
const offset = wednesdayOffsetMin();
const trainee = () => fx.users.trainee.id;
const DAY = 86_400_000;

beforeAll(async () => {
  ctx = await startTestApp({ DIALER_RULES_CLOCK_OFFSET_MIN: String(offset), LOGIN_RATE_PER_MIN: '1000' });
  fx = await seedFixture(ctx.app);
  // Same numbers in two campaigns of partner A: caps and refusals count per partner and number.
  a = await seedRunningCampaign(ctx.app, fx, { count: 3, trainees: [fx.users.trainee.id], settings: { retryRules: { delayMinutes: { no_answer: 120, busy: 20, voicemail: 240, failed: 30 }, maxAttempts: 2 } } });
  b = await seedRunningCampaign(ctx.app, fx, { count: 3, trainees: [] });
  await ctx.app.dialer.connect(trainee());
});
afterAll(() => ctx?.close());

beforeEach(async () => {
  // Back to a clean state between cases: no open attempt, everything pending and callable.
  const open = await ctx.app.db.selectFrom('callAttempts').select('id').where('closedAt', 'is', null).execute();
  for (const { id } of open) await sql`update call_attempts set status = 'closed', closed_at = now(), outcome = 'test_reset' where id = ${id}`.execute(ctx.app.db);
  await sql`update contacts_dialing set status = 'pending', locked_by = null, attempt_id = null, lock_expires_at = null, next_at = now() - interval '1 minute', attempts = 0`.execute(ctx.app.db);
  await sql`delete from call_attempts where outcome <> 'test_reset' or outcome is null`.execute(ctx.app.db);
  await sql`delete from justice_blocklist`.execute(ctx.app.db);
  await sql`update agent_presence set status = 'paused', reason = 'pause', attempt_id = null, campaign_id = null`.execute(ctx.app.db);
  await ctx.app.redis.del(...(await ctx.app.redis.keys(`${ctx.config.REDIS_PREFIX}:dl:*`)), 'none');
});

const hmacOf = async (contactId: string) => (await ctx.app.db.selectFrom('contacts').select('phoneHmac').where('id', '=', contactId).executeTakeFirstOrThrow()).phoneHmac;

/** Past dialled attempts on a number (in campaign B, same partner), `daysAgo` each. */
async function history(contactIdInA: string, daysAgo: number[], outcome = 'no_answer') {
  const phoneHmac = await hmacOf(contactIdInA);
  const contactInB = await ctx.app.db.selectFrom('contacts').select('id').where('campaignId', '=', b.campaignId).where('phoneHmac', '=', phoneHmac).executeTakeFirstOrThrow();
  for (const d of daysAgo) {
    const at = new Date(Date.now() - d * DAY);
    await ctx.app.db
      .insertInto('callAttempts')
      .values({ campaignId: b.campaignId, contactId: contactInB.id, partnerId: fx.partnerA, phoneHmac, agentUserId: fx.users.trainee2.id, status: 'closed', offeredAt: at, dialedAt: at, closedAt: at, outcome })
      .execute();
  }
}

/** Only this contact of campaign A is callable; returns what the trainee gets on Ready. */
async function offerFor(contactId: string) {
  await sql`update contacts_dialing set next_at = now() + interval '10 days' where campaign_id = ${a.campaignId} and contact_id <> ${contactId}`.execute(ctx.app.db);
  await ctx.app.dialer.ready(trainee());
  return ctx.app.db.selectFrom('callAttempts').selectAll().where('agentUserId', '=', trainee()).where('closedAt', 'is', null).executeTakeFirst();
}

const dialing = (contactId: string) => ctx.app.db.selectFrom('contactsDialing').selectAll().where('contactId', '=', contactId).executeTakeFirstOrThrow();
const tokenOf = async (attemptId: string) => (await ctx.app.db.selectFrom('callTokens').select('token').where('attemptId', '=', attemptId).executeTakeFirstOrThrow()).token;

describe('attempt cap: 4 per 30 rolling days per partner and number', () => {
  it('offers a number with 3 attempts in the period', async () => {
    const c = a.contactIds[0]!;
    await history(c, [1, 10, 20]);
    expect(await offerFor(c)).toMatchObject({ contactId: c });
  });

  it('holds back a number with 4 attempts (another campaign of the partner) until the oldest is 30 days old', async () => {
    const c = a.contactIds[0]!;
    await history(c, [1, 10, 20, 29]);
    expect(await offerFor(c)).toBeUndefined();
    const d = await dialing(c);
    expect(d.status).toBe('pending');
    // Released one day later (29 → 30 days), at the next window opening.
    expect(d.nextAt.getTime()).toBeGreaterThanOrEqual(Date.now() + DAY - 60_000);
    expect(d.nextAt.getTime()).toBeLessThan(Date.now() + 5 * DAY);
  });

  it('forgets attempts older than 30 days', async () => {
    const c = a.contactIds[0]!;
    await history(c, [1, 10, 20, 31, 40]);
    expect(await offerFor(c)).toMatchObject({ contactId: c });
  });

  it('refuses the dial when the cap was reached after the offer', async () => {
    const c = a.contactIds[1]!;
    const offer = await offerFor(c);
    await history(c, [1, 2, 3, 4]);
    expect(await resolveCallToken(ctx.app, { token: await tokenOf(offer!.id), agentUserId: trainee() })).toEqual({ ok: false, reason: 'attempts_exhausted' });
    const d = await dialing(c);
    expect(d).toMatchObject({ status: 'pending', lockedBy: null, attempts: 0 });
  });
});

describe('quiet period: 60 days after a refusal', () => {
  it('holds back a number refused 59 days ago (by any campaign of the partner)', async () => {
    const c = a.contactIds[2]!;
    await history(c, [59], 'not_interested');
    expect(await offerFor(c)).toBeUndefined();
    expect((await dialing(c)).nextAt.getTime()).toBeGreaterThan(Date.now() + DAY - 60_000);
  });

  it('calls again a number refused 61 days ago', async () => {
    const c = a.contactIds[2]!;
    await history(c, [61], 'not_interested');
    expect(await offerFor(c)).toMatchObject({ contactId: c });
  });
});

describe('dial-time checks', () => {
  it('refuses a number put on the justice blocklist after the offer, and marks it blocked', async () => {
    const c = a.contactIds[0]!;
    const offer = await offerFor(c);
    await ctx.app.db.insertInto('justiceBlocklist').values({ phoneHmac: await hmacOf(c), reason: 'partie civile' }).execute();
    expect(await resolveCallToken(ctx.app, { token: await tokenOf(offer!.id), agentUserId: trainee() })).toEqual({ ok: false, reason: 'blocked' });
    expect((await dialing(c)).status).toBe('blocked');
    const agent = await ctx.app.dialer.agents.get(trainee());
    expect(agent?.status).toBe('ready');
  });

  it('refuses a number opted out with the partner after the offer: contact blocked, trainee Ready, refusal audited', async () => {
    const c = a.contactIds[1]!;
    const offer = await offerFor(c);
    await ctx.app.db.insertInto('optOuts').values({ partnerId: fx.partnerA, phoneHmac: await hmacOf(c), source: 'test' }).execute();
    try {
      expect(await resolveCallToken(ctx.app, { token: await tokenOf(offer!.id), agentUserId: trainee() })).toEqual({ ok: false, reason: 'blocked' });
      expect(await dialing(c)).toMatchObject({ status: 'blocked', lockedBy: null, attempts: 0 });
      expect((await ctx.app.dialer.agents.get(trainee()))?.status).toBe('ready');
      const audit = await ctx.app.db.selectFrom('auditLog').select(['targetId', 'details']).where('action', '=', 'call.dial_refused').where('targetId', '=', offer!.id).execute();
      expect(audit.map((r) => r.details)).toEqual([{ reason: 'blocked' }]);
    } finally {
      await ctx.app.db.deleteFrom('optOuts').where('source', '=', 'test').execute();
    }
  });

  it('dials a number whose justice entry has expired', async () => {
    const c = a.contactIds[2]!;
    const offer = await offerFor(c);
    await ctx.app.db.insertInto('justiceBlocklist').values({ phoneHmac: await hmacOf(c), reason: 'levée', expiresAt: new Date(Date.now() - 60_000) }).execute();
    expect(await resolveCallToken(ctx.app, { token: await tokenOf(offer!.id), agentUserId: trainee() })).toMatchObject({ ok: true, contactId: c });
  });

  it('dials once when the same token is resolved twice at the same moment', async () => {
    const c = a.contactIds[0]!;
    const offer = await offerFor(c);
    const token = await tokenOf(offer!.id);
    const results = await Promise.all([0, 1].map(() => resolveCallToken(ctx.app, { token, agentUserId: trainee() })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'used' }]);
    expect(await dialing(c)).toMatchObject({ status: 'locked', attempts: 1, attemptId: offer!.id });
    expect((await ctx.app.dialer.agents.get(trainee()))?.status).toBe('dialing');
    const open = await ctx.app.db.selectFrom('agentStateLog').select('status').where('userId', '=', trainee()).where('endedAt', 'is', null).execute();
    expect(open).toEqual([{ status: 'dialing' }]);
  });

  it('refuses a dial outside the callee’s window (callee in a zone where it is night)', async () => {
    const c = a.contactIds[1]!;
    const offer = await offerFor(c);
    await sql`update contacts_dialing set time_zone = 'Pacific/Kiritimati' where contact_id = ${c}`.execute(ctx.app.db);
    expect(await resolveCallToken(ctx.app, { token: await tokenOf(offer!.id), agentUserId: trainee() })).toEqual({ ok: false, reason: 'outside_window' });
    await sql`update contacts_dialing set time_zone = 'America/Guadeloupe' where contact_id = ${c}`.execute(ctx.app.db);
  });

  it('judges a dial against the campaign as it is now, not the dialer’s cached copy', async () => {
    const c = a.contactIds[1]!;
    const offer = await offerFor(c);
    const campaigns = ctx.app.dialer.campaigns;
    const windows = (await campaigns.get(a.campaignId))!.row.windows;
    // An admin narrows the calling window to one minute that is not now: the cached copy is stale.
    const closed = [{ days: [1, 2, 3, 4, 5, 6, 7], start: '03:00', end: '03:01' }];
    await sql`update campaigns set windows = ${JSON.stringify(closed)}::jsonb where id = ${a.campaignId}`.execute(ctx.app.db);
    const r = await resolveCallToken(ctx.app, { token: await tokenOf(offer!.id), agentUserId: trainee() }, { campaigns });
    await sql`update campaigns set windows = ${JSON.stringify(windows)}::jsonb where id = ${a.campaignId}`.execute(ctx.app.db);
    campaigns.invalidate(a.campaignId);
    expect(r).toEqual({ ok: false, reason: 'outside_window' });
  });

  it('withdraws offers when the campaign is paused; their tokens no longer resolve', async () => {
    const c = a.contactIds[2]!;
    const offer = await offerFor(c);
    const admin = await login(ctx.app, fx.users.admin.username, '10.20.0.200');
    const paused = await ctx.app.inject({ method: 'POST', url: `/api/campaigns/${a.campaignId}/transition`, headers: admin.headers, remoteAddress: '10.20.0.200', payload: { to: 'paused' } });
    expect(paused.statusCode).toBe(200);
    expect(await resolveCallToken(ctx.app, { token: await tokenOf(offer!.id), agentUserId: trainee() })).toEqual({ ok: false, reason: 'expired' });
    expect(await dialing(c)).toMatchObject({ status: 'pending', lockedBy: null });
    const running = await ctx.app.inject({ method: 'POST', url: `/api/campaigns/${a.campaignId}/transition`, headers: admin.headers, remoteAddress: '10.20.0.200', payload: { to: 'running' } });
    expect(running.statusCode).toBe(200);
  });
});

describe('recovery', () => {
  it('rebuilds the hopper from Postgres after a Redis loss, without assigning a held contact', async () => {
    const held = await offerFor(a.contactIds[0]!);
    expect(held).toBeDefined();
    await sql`update contacts_dialing set next_at = now() - interval '1 minute' where campaign_id = ${a.campaignId}`.execute(ctx.app.db);
    await ctx.app.redis.del(...(await ctx.app.redis.keys(`${ctx.config.REDIS_PREFIX}:dl:*`)), 'none');
    await ctx.app.dialer.connect(fx.users.trainee2.id);
    await ctx.app.db.insertInto('campaignAgents').values({ campaignId: a.campaignId, userId: fx.users.trainee2.id }).onConflict((oc) => oc.doNothing()).execute();
    await ctx.app.dialer.ready(fx.users.trainee2.id);
    const other = await ctx.app.db.selectFrom('callAttempts').selectAll().where('agentUserId', '=', fx.users.trainee2.id).where('closedAt', 'is', null).executeTakeFirst();
    expect(other).toBeDefined();
    expect(other!.contactId).not.toBe(held!.contactId);
  });

  it('deleting contacts (purge) forgets their numbers in the attempts kept', async () => {
    const c = a.contactIds[2]!;
    await history(c, [3]);
    const phoneHmac = await hmacOf(c);
    const inB = await ctx.app.db.selectFrom('contacts').select('id').where('campaignId', '=', b.campaignId).where('phoneHmac', '=', phoneHmac).executeTakeFirstOrThrow();
    await ctx.app.db.deleteFrom('contacts').where('id', '=', inB.id).execute();
    const kept = await ctx.app.db.selectFrom('callAttempts').select(['contactId', 'phoneHmac']).where('campaignId', '=', b.campaignId).execute();
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((k) => k.contactId === null && k.phoneHmac === null)).toBe(true);
  });
});

describe('retry timing and max attempts', () => {
  async function callAndDispose(c: string, code: 'busy' | 'voicemail' | 'no_answer') {
    const offer = await offerFor(c);
    const r = await resolveCallToken(ctx.app, { token: await tokenOf(offer!.id), agentUserId: trainee() });
    expect(r.ok).toBe(true);
    await callProgress(ctx.app).report({ attemptId: offer!.id, event: 'ended', at: new Date(), sipCode: code === 'busy' ? 486 : 480 });
    await ctx.app.dialer.dispose(trainee(), offer!.id, { code });
    await ctx.app.dialer.pause(trainee(), 'pause');
    return dialing(c);
  }

  it('busy → 20 minutes later', async () => {
    const d = await callAndDispose(a.contactIds[0]!, 'busy');
    expect(d.status).toBe('pending');
    expect(Math.abs(d.nextAt.getTime() - (Date.now() + 20 * 60_000))).toBeLessThan(30_000);
  });

  it('closes the contact as exhausted at the campaign’s max attempts (2 here)', async () => {
    const c = a.contactIds[1]!;
    expect((await callAndDispose(c, 'no_answer')).attempts).toBe(1);
    await sql`update contacts_dialing set next_at = now() where contact_id = ${c}`.execute(ctx.app.db);
    const d = await callAndDispose(c, 'voicemail');
    expect(d).toMatchObject({ status: 'exhausted', attempts: 2, lastOutcome: 'voicemail' });
  });
});
