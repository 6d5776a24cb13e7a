import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startSeededApp, type TestContext } from './app.ts';
import type { Fixture } from './fixtures.ts';
import { seedRunningCampaign, wednesdayOffsetMin } from './dialer-fixtures.ts';
import { someoneWaitsForALock } from './locks.ts';

/**
 * Kamailio sends a call event again when the server answered 5xx. An event the dialer failed to
 * apply must therefore still be applicable on the next try: here the dialer's write is cancelled
 * while it waits for the trainee's row, and the repeated "ended" must still end the call.
 */

let ctx: TestContext;
let fx: Fixture;

beforeAll(async () => {
  ({ ctx, fx } = await startSeededApp({ DIALER_RULES_CLOCK_OFFSET_MIN: String(wednesdayOffsetMin()) }));
  await seedRunningCampaign(ctx.app, fx, { count: 2, trainees: [fx.users.trainee.id] });
});

afterAll(async () => {
  await ctx?.close();
});

it('applies an "ended" event sent again after the dialer failed to apply it', async () => {
  const trainee = fx.users.trainee.id;
  const { service } = ctx.app.telephony;
  await ctx.app.dialer.connect(trainee);
  await ctx.app.dialer.ready(trainee);
  const { attemptId } = (await ctx.app.dialer.agents.get(trainee))!;
  const { token } = await ctx.app.db.selectFrom('callTokens').select('token').where('attemptId', '=', attemptId!).executeTakeFirstOrThrow();
  const callId = `call-${randomUUID()}`;
  expect((await service.resolve(token, trainee, callId)).ok).toBe(true);
  await service.event({ event: 'answered', attemptId: attemptId!, callId, fromTag: 'a', toTag: 'b', at: String(Date.now() / 1000) });
  expect(await ctx.app.dialer.agents.get(trainee)).toMatchObject({ status: 'in_call' });

  const ended = { event: 'ended' as const, attemptId: attemptId!, callId, at: String(Date.now() / 1000), sipCode: 200, cause: 'normal', hungUpBy: 'customer' as const };
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
  const attempt = await ctx.app.db.selectFrom('callAttempts').select(['status', 'hungUpBy', 'talkSeconds']).where('id', '=', attemptId!).executeTakeFirstOrThrow();
  expect(attempt).toMatchObject({ status: 'wrap_up', hungUpBy: 'customer' });
  const call = await ctx.app.db.selectFrom('sipCalls').select(['endedAt', 'hungUpBy', 'recordingStatus']).where('callId', '=', callId).executeTakeFirstOrThrow();
  expect(call.endedAt).not.toBeNull();
  expect(call.hungUpBy).toBe('customer');

  // A third copy changes nothing.
  await service.event(ended);
  expect(await ctx.app.dialer.agents.get(trainee)).toMatchObject({ status: 'wrap_up', attemptId });
});
