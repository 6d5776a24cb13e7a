import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startSeededApp, type TestContext } from './app.ts';
import type { Fixture } from './fixtures.ts';
import { seedRunningCampaign, wednesdayOffsetMin } from './dialer-fixtures.ts';
import { someoneWaitsForALock } from './locks.ts';

/**
 * Call events as the proxy posts them: in batches, each call's events in order. Kamailio sends a
 * batch again when the server answered 5xx, so an event the dialer failed to apply must still be
 * applicable on the next try: here the dialer's write is cancelled while it waits for the
 * trainee's row, and the repeated "ended" must still end the call.
 */

let ctx: TestContext;
let fx: Fixture;

beforeAll(async () => {
  ({ ctx, fx } = await startSeededApp({ DIALER_RULES_CLOCK_OFFSET_MIN: String(wednesdayOffsetMin()) }));
  await seedRunningCampaign(ctx.app, fx, { count: 6, trainees: [fx.users.trainee.id, fx.users.trainee2.id] });
});

afterAll(async () => {
  await ctx?.close();
});

/** The trainee takes an offer and dials it: a SIP call the proxy placed. */
async function placedCall(trainee: string) {
  if ((await ctx.app.dialer.agents.get(trainee))?.status !== 'offered') {
    await ctx.app.dialer.connect(trainee);
    await ctx.app.dialer.ready(trainee);
  }
  const { attemptId } = (await ctx.app.dialer.agents.get(trainee))!;
  const { token } = await ctx.app.db.selectFrom('callTokens').select('token').where('attemptId', '=', attemptId!).executeTakeFirstOrThrow();
  const callId = `call-${randomUUID()}`;
  expect((await ctx.app.telephony.service.resolve(token, trainee, callId)).ok).toBe(true);
  return { attemptId: attemptId!, callId };
}

const at = (secondsFromNow: number) => String(Date.now() / 1000 + secondsFromNow);

it('applies a batch: each call’s events in order, an unknown call’s event ignored', async () => {
  const [one, two] = [await placedCall(fx.users.trainee.id), await placedCall(fx.users.trainee2.id)];
  const batch = [
    { event: 'ringing', ...one, at: at(0), sipCode: 180 },
    { event: 'ringing', ...two, at: at(0), sipCode: 180 },
    { event: 'answered', ...one, fromTag: 'a', toTag: 'b', at: at(1), sipCode: 200 },
    { event: 'ended', attemptId: 'x', callId: 'never-placed', at: at(1), sipCode: 486, cause: 'rejected', hungUpBy: 'customer' },
    { event: 'ended', ...one, at: at(4), sipCode: 200, cause: 'normal', hungUpBy: 'agent' },
    { event: 'ended', ...two, at: at(3), sipCode: 486, cause: 'rejected', hungUpBy: 'customer' },
  ];
  const res = await ctx.app.inject({ method: 'POST', url: '/internal/sip/events', headers: { 'x-sip-api-key': ctx.config.SIP_API_KEY }, payload: batch });
  expect(res.statusCode).toBe(204);
  const attempts = await ctx.app.db.selectFrom('callAttempts').select(['id', 'status', 'talkSeconds', 'ringSeconds', 'sipCode', 'hungUpBy']).where('id', 'in', [one.attemptId, two.attemptId]).execute();
  expect(attempts.find((a) => a.id === one.attemptId)).toMatchObject({ status: 'wrap_up', talkSeconds: 3, ringSeconds: 1, sipCode: 200, hungUpBy: 'agent' });
  expect(attempts.find((a) => a.id === two.attemptId)).toMatchObject({ status: 'wrap_up', talkSeconds: 0, ringSeconds: 3, sipCode: 486, hungUpBy: 'customer' });
  for (const trainee of [fx.users.trainee.id, fx.users.trainee2.id]) expect(await ctx.app.dialer.agents.get(trainee)).toMatchObject({ status: 'wrap_up' });
  // Qualified: each trainee is Ready again (and offered the next contact).
  await ctx.app.dialer.dispose(fx.users.trainee.id, one.attemptId, { code: 'wrong_number' });
  // Nobody answered the second call: no outcome that needs a conversation (it was counted as a booking before).
  for (const code of ['wrong_number', 'not_interested'] as const) {
    await expect(ctx.app.dialer.dispose(fx.users.trainee2.id, two.attemptId, { code })).rejects.toMatchObject({ code: 'CALL_NOT_ANSWERED' });
  }
  await ctx.app.dialer.dispose(fx.users.trainee2.id, two.attemptId, { code: 'busy' });
});

it('applies an "ended" event sent again after the dialer failed to apply it', async () => {
  const trainee = fx.users.trainee.id;
  const { service } = ctx.app.telephony;
  const { attemptId, callId } = await placedCall(trainee);
  await service.event({ event: 'answered', attemptId, callId, fromTag: 'a', toTag: 'b', at: at(0) });
  expect(await ctx.app.dialer.agents.get(trainee)).toMatchObject({ status: 'in_call' });

  const ended = { event: 'ended' as const, attemptId, callId, at: at(2), sipCode: 200, cause: 'normal', hungUpBy: 'customer' as const };
  // Another writer holds the trainee's row; the event's dialer write waits for it and is cancelled.
  let first: Promise<unknown> | undefined;
  await ctx.app.db.connection().execute(async (conn) => {
    await sql`begin`.execute(conn);
    await sql`select 1 from agent_presence where user_id = ${trainee} for update`.execute(conn);
    first = service.event(ended).then(
      () => 'applied',
      (err: Error) => err.message,
    );
    await sql`select pg_cancel_backend(${await someoneWaitsForALock(ctx.app.db)})`.execute(ctx.app.db);
    await sql`rollback`.execute(conn);
  });
  expect(await first).toMatch(/cancel/);
  expect(await ctx.app.dialer.agents.get(trainee)).toMatchObject({ status: 'in_call' });

  // Kamailio's retry.
  await service.event(ended);
  expect(await ctx.app.dialer.agents.get(trainee)).toMatchObject({ status: 'wrap_up', attemptId });
  const attempt = await ctx.app.db.selectFrom('callAttempts').select(['status', 'hungUpBy', 'talkSeconds']).where('id', '=', attemptId).executeTakeFirstOrThrow();
  expect(attempt).toMatchObject({ status: 'wrap_up', hungUpBy: 'customer' });
  const call = await ctx.app.db.selectFrom('sipCalls').select(['endedAt', 'hungUpBy', 'recordingStatus']).where('callId', '=', callId).executeTakeFirstOrThrow();
  expect(call.endedAt).not.toBeNull();
  expect(call.hungUpBy).toBe('customer');

  // A third copy changes nothing.
  await service.event(ended);
  expect(await ctx.app.dialer.agents.get(trainee)).toMatchObject({ status: 'wrap_up', attemptId });
});

it('ends a call a supervisor hung up when the proxy cannot (no dialog to end, no event): the trainee is not left in call', async () => {
  const trainee = fx.users.trainee2.id;
  const { service } = ctx.app.telephony;
  const { attemptId, callId } = await placedCall(trainee);
  await service.event({ event: 'answered', attemptId, callId, fromTag: 'a', toTag: 'b', at: at(0) });
  // This app's proxy control socket leads nowhere: the dialog cannot be found or ended.
  const asked: string[] = [];
  expect(await service.hangup(attemptId, fx.users.trainer.id, (agent) => asked.push(agent))).toBe(true);
  expect(asked).toEqual([]); // no confirmed dialog known to the proxy: nothing for the console to hang up
  await expect.poll(async () => (await ctx.app.dialer.agents.get(trainee))?.status, { timeout: 10_000 }).toBe('wrap_up');
  const attempt = await ctx.app.db.selectFrom('callAttempts').select(['status', 'hungUpBy', 'cause']).where('id', '=', attemptId).executeTakeFirstOrThrow();
  expect(attempt).toEqual({ status: 'wrap_up', hungUpBy: 'supervisor', cause: 'supervisor' });
});

it('a trainee whose page lost its line mid-call hangs up through the server; never someone else’s call', async () => {
  const trainee = fx.users.trainee.id;
  const { service } = ctx.app.telephony;
  const before = await ctx.app.dialer.agents.get(trainee);
  if (before?.status === 'wrap_up') await ctx.app.dialer.dispose(trainee, before.attemptId!, { code: 'wrong_number' });
  const { attemptId, callId } = await placedCall(trainee);
  await service.event({ event: 'answered', attemptId, callId, fromTag: 'a', toTag: 'b', at: at(0) });
  expect(await service.hangupLostLine(attemptId, fx.users.trainee2.id)).toBe(false);
  expect(await ctx.app.dialer.agents.get(trainee)).toMatchObject({ status: 'in_call' });
  expect(await service.hangupLostLine(attemptId, trainee)).toBe(true);
  await expect.poll(async () => (await ctx.app.dialer.agents.get(trainee))?.status, { timeout: 10_000 }).toBe('wrap_up');
  const attempt = await ctx.app.db.selectFrom('callAttempts').select(['status', 'hungUpBy', 'cause']).where('id', '=', attemptId).executeTakeFirstOrThrow();
  expect(attempt).toEqual({ status: 'wrap_up', hungUpBy: 'agent', cause: 'agent' });
  expect(await service.hangupLostLine(attemptId, trainee)).toBe(false);
});
