import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { sql } from 'kysely';
import { PreparingClient } from '../src/db/prepared.ts';
import { startTestApp, type TestContext } from './app.ts';
import { seedFixture, type Fixture } from './fixtures.ts';
import { seedRunningCampaign, wednesdayOffsetMin, type SeededCampaign } from './dialer-fixtures.ts';
import { resolveCallToken } from '../src/modules/dialer/call-tokens.ts';

/**
 * Guards on an offer. The fast path reads what the rules need, judges, then takes the contact in
 * one write guarded against everything that may change in between: each race case changes one
 * thing in that gap (just before the write reaches Postgres) and checks that no offer is made on
 * stale facts — the locked path then decides, as it would have without the fast path. The same
 * for giving an offer back (skip, pause) in one statement. Last, the hopper's pop honours a
 * trainee's recent skips.
 */
let ctx: TestContext;
let fx: Fixture;
let a: SeededCampaign;
let b: SeededCampaign;
const trainee = () => fx.users.trainee.id;
const original = PreparingClient.prototype.query;

beforeAll(async () => {
  ctx = await startTestApp({ DIALER_RULES_CLOCK_OFFSET_MIN: String(wednesdayOffsetMin()) });
  fx = await seedFixture(ctx.app);
  // The same numbers in two campaigns of partner A (canvassing: caps and refusals count per number).
  a = await seedRunningCampaign(ctx.app, fx, { count: 2, trainees: [fx.users.trainee.id] });
  b = await seedRunningCampaign(ctx.app, fx, { count: 2, trainees: [] });
  await ctx.app.dialer.connect(trainee());
});
afterAll(() => ctx?.close());

beforeEach(async () => {
  await sql`update call_attempts set status = 'closed', closed_at = now(), outcome = 'test_reset' where closed_at is null`.execute(ctx.app.db);
  await sql`delete from call_attempts`.execute(ctx.app.db);
  await sql`delete from justice_blocklist`.execute(ctx.app.db);
  await sql`update contacts_dialing set status = 'pending', locked_by = null, attempt_id = null, lock_expires_at = null, next_at = now() - interval '1 minute', attempts = 0`.execute(ctx.app.db);
  await sql`update agent_presence set status = 'paused', reason = 'pause', attempt_id = null, campaign_id = null`.execute(ctx.app.db);
  await ctx.app.redis.del(...(await ctx.app.redis.keys(`${ctx.config.REDIS_PREFIX}:dl:*`)), 'none');
  // Only the first contact of A is callable.
  await sql`update contacts_dialing set next_at = now() + interval '10 days' where contact_id <> ${a.contactIds[0]!}`.execute(ctx.app.db);
});
afterEach(() => {
  PreparingClient.prototype.query = original;
});

/** Runs `change` (on another connection) once, just before the fast path's write (`statement`) is sent. */
function beforeFastWrite(change: () => Promise<unknown>, statement = 'offer_at_once') {
  const seen = { writes: 0 };
  PreparingClient.prototype.query = function (this: PreparingClient, ...args: unknown[]) {
    const text = args[0];
    if (typeof text === 'string' && text.startsWith(`/*prepared:${statement}*/`) && seen.writes++ === 0) {
      return change().then(() => original.apply(this, args as never)) as never;
    }
    return original.apply(this, args as never);
  } as typeof original;
  return seen;
}

const contact = () => a.contactIds[0]!;
const hmac = async () => (await ctx.app.db.selectFrom('contacts').select('phoneHmac').where('id', '=', contact()).executeTakeFirstOrThrow()).phoneHmac;
const dialing = () => ctx.app.db.selectFrom('contactsDialing').selectAll().where('contactId', '=', contact()).executeTakeFirstOrThrow();
const openAttempts = () => ctx.app.db.selectFrom('callAttempts').select(['contactId', 'agentUserId']).where('closedAt', 'is', null).execute();

it('takes the contact in the fast path when nothing changed (two statements)', async () => {
  const seen = beforeFastWrite(async () => undefined);
  await ctx.app.dialer.ready(trainee());
  expect(seen.writes).toBe(1);
  expect(await openAttempts()).toEqual([{ contactId: contact(), agentUserId: trainee() }]);
  expect((await ctx.app.dialer.agents.get(trainee()))?.status).toBe('offered');
});

it('does not offer a number put on the justice blocklist between the read and the write', async () => {
  const phoneHmac = await hmac();
  beforeFastWrite(() => ctx.app.db.insertInto('justiceBlocklist').values({ phoneHmac, reason: 'partie civile' }).execute());
  await ctx.app.dialer.ready(trainee());
  expect(await openAttempts()).toEqual([]);
  expect(await dialing()).toMatchObject({ status: 'blocked', lockedBy: null });
  expect((await ctx.app.dialer.agents.get(trainee()))?.status).toBe('ready');
});

it('does not offer a number refused (in another campaign of the partner) between the read and the write', async () => {
  const phoneHmac = await hmac();
  const inB = await ctx.app.db.selectFrom('contacts').select('id').where('campaignId', '=', b.campaignId).where('phoneHmac', '=', phoneHmac).executeTakeFirstOrThrow();
  beforeFastWrite(() =>
    ctx.app.db
      .insertInto('callAttempts')
      .values({ campaignId: b.campaignId, contactId: inB.id, partnerId: fx.partnerA, phoneHmac, agentUserId: fx.users.trainee2.id, status: 'closed', offeredAt: new Date(), dialedAt: new Date(), closedAt: new Date(), outcome: 'not_interested' })
      .execute(),
  );
  await ctx.app.dialer.ready(trainee());
  expect(await openAttempts()).toEqual([]);
  const d = await dialing();
  // The quiet period holds it back for 60 days.
  expect(d.status).toBe('pending');
  expect(d.nextAt.getTime()).toBeGreaterThan(Date.now() + 59 * 86_400_000);
});

it('does not offer to a trainee who paused between the read and the write; the contact stays untouched', async () => {
  beforeFastWrite(() => ctx.app.dialer.pause(trainee(), 'break'));
  await ctx.app.dialer.ready(trainee());
  expect(await openAttempts()).toEqual([]);
  expect(await ctx.app.dialer.agents.get(trainee())).toMatchObject({ status: 'paused', reason: 'break' });
  expect(await dialing()).toMatchObject({ status: 'pending', lockedBy: null, attempts: 0 });
});

it('does not offer a contact whose dialing state changed between the read and the write', async () => {
  beforeFastWrite(() => sql`update contacts_dialing set status = 'exhausted' where contact_id = ${contact()}`.execute(ctx.app.db));
  await ctx.app.dialer.ready(trainee());
  expect(await openAttempts()).toEqual([]);
  expect(await dialing()).toMatchObject({ status: 'exhausted', lockedBy: null });
});

it('does not offer a trainee again a contact it skipped lately, even after a refill', async () => {
  await ctx.app.dialer.ready(trainee());
  const [offered] = await ctx.app.db.selectFrom('callAttempts').select('id').where('closedAt', 'is', null).execute();
  await ctx.app.dialer.skip(trainee(), offered!.id, 'Client déjà rappelé');
  expect(await dialing()).toMatchObject({ status: 'pending', lockedBy: null });
  expect(await ctx.app.dialer.assign(trainee())).toBe('none');
  expect(await openAttempts()).toEqual([]);
  // Once the skip is forgotten, the same contact is offered again.
  await ctx.app.redis.del(...(await ctx.app.redis.keys(`${ctx.config.REDIS_PREFIX}:dl:skip:*`)));
  expect(await ctx.app.dialer.assign(trainee())).toBe('offered');
  expect(await openAttempts()).toEqual([{ contactId: contact(), agentUserId: trainee() }]);
});

it('a skip sent while the token resolves leaves the call alone', async () => {
  await ctx.app.dialer.ready(trainee());
  const [offered] = await ctx.app.db.selectFrom('callAttempts as a').innerJoin('callTokens as t', 't.attemptId', 'a.id').select(['a.id', 't.token']).where('a.closedAt', 'is', null).execute();
  const seen = beforeFastWrite(async () => expect(await resolveCallToken(ctx.app, { token: offered!.token, agentUserId: trainee() })).toMatchObject({ ok: true }), 'offer_return');
  await expect(ctx.app.dialer.skip(trainee(), offered!.id, 'trop tard')).rejects.toMatchObject({ code: 'OFFER_NOT_OPEN' });
  expect(seen.writes).toBe(1);
  expect(await ctx.app.db.selectFrom('callAttempts').select(['status', 'closedAt']).where('id', '=', offered!.id).executeTakeFirstOrThrow()).toEqual({ status: 'dialing', closedAt: null });
  expect(await dialing()).toMatchObject({ status: 'locked', attemptId: offered!.id });
  expect((await ctx.app.dialer.agents.get(trainee()))?.status).toBe('dialing');
});

it('a pause gives the offer back in one statement: contact pending, trainee paused', async () => {
  await ctx.app.dialer.ready(trainee());
  const seen = beforeFastWrite(async () => undefined, 'offer_return');
  await ctx.app.dialer.pause(trainee(), 'break');
  expect(seen.writes).toBe(1);
  expect(await openAttempts()).toEqual([]);
  expect(await dialing()).toMatchObject({ status: 'pending', lockedBy: null, attemptId: null });
  expect(await ctx.app.dialer.agents.get(trainee())).toMatchObject({ status: 'paused', reason: 'break', attemptId: null });
});

it('stamps an offer after the previous attempt on its contact closed, however long its reads took', async () => {
  // trainee2 holds the contact; the trainee's offer starts, and its read only runs once trainee2 gave it back.
  await ctx.app.db.insertInto('campaignAgents').values({ campaignId: a.campaignId, userId: fx.users.trainee2.id }).onConflict((oc) => oc.doNothing()).execute();
  await ctx.app.dialer.connect(fx.users.trainee2.id);
  await ctx.app.dialer.ready(fx.users.trainee2.id);
  const [first] = await ctx.app.db.selectFrom('callAttempts').select(['id', 'contactId']).where('agentUserId', '=', fx.users.trainee2.id).where('closedAt', 'is', null).execute();
  expect(first?.contactId).toBe(contact());
  await ctx.app.redis.zadd(`${ctx.config.REDIS_PREFIX}:dl:hopper:${a.campaignId}:fr`, 0, contact());
  beforeFastWrite(() => ctx.app.dialer.pause(fx.users.trainee2.id, 'break'), 'offer_peek');
  await ctx.app.dialer.ready(trainee());
  const attempts = await ctx.app.db.selectFrom('callAttempts').select(['agentUserId', 'offeredAt', 'closedAt']).where('contactId', '=', contact()).orderBy('offeredAt').execute();
  expect(attempts.map((r) => r.agentUserId)).toEqual([fx.users.trainee2.id, trainee()]);
  expect(attempts[1]!.offeredAt.getTime()).toBeGreaterThanOrEqual(attempts[0]!.closedAt!.getTime());
});
