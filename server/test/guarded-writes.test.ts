import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startSeededApp, type TestContext } from './app.ts';
import type { Fixture } from './fixtures.ts';
import { callProgress } from '../src/modules/calls/progress.ts';
import { resolveCallToken } from '../src/modules/dialer/call-tokens.ts';
import { seedRunningCampaign, wednesdayOffsetMin } from './dialer-fixtures.ts';
import { someoneWaitsForALock } from './locks.ts';

/**
 * The guarded single statements (dial, Ready, call progress) read without locks and write only if
 * what they read still holds. Here another transaction changes the trainee between the read and
 * the write: the write must not overwrite it.
 */

let ctx: TestContext;
let fx: Fixture;

beforeAll(async () => {
  ({ ctx, fx } = await startSeededApp({ DIALER_RULES_CLOCK_OFFSET_MIN: String(wednesdayOffsetMin()) }));
  await seedRunningCampaign(ctx.app, fx, { count: 3, trainees: [fx.users.trainee.id] });
});

afterAll(async () => {
  await ctx?.close();
});

it('call progress does not overwrite a trainee state that changed between its read and its write', async () => {
  const trainee = fx.users.trainee.id;
  await ctx.app.dialer.connect(trainee);
  await ctx.app.dialer.ready(trainee);
  const { attemptId } = (await ctx.app.dialer.agents.get(trainee))!;
  const { token } = await ctx.app.db.selectFrom('callTokens').select('token').where('attemptId', '=', attemptId!).executeTakeFirstOrThrow();
  expect(await resolveCallToken(ctx.app, { token, agentUserId: trainee })).toMatchObject({ ok: true });

  // Another writer holds the trainee's row; the ringing event reads it (dialling) and waits to write.
  let reported: Promise<void> | undefined;
  await ctx.app.db.connection().execute(async (conn) => {
    await sql`begin`.execute(conn);
    await sql`select 1 from agent_presence where user_id = ${trainee} for update`.execute(conn);
    reported = callProgress(ctx.app).report({ attemptId: attemptId!, event: 'ringing', at: new Date() });
    await someoneWaitsForALock(ctx.app.db);
    await sql`update agent_presence set status = 'paused', reason = 'technical', since = now(), attempt_id = null, campaign_id = null where user_id = ${trainee}`.execute(conn);
    await sql`commit`.execute(conn);
  });
  await reported;

  expect(await ctx.app.dialer.agents.get(trainee)).toMatchObject({ status: 'paused', reason: 'technical', attemptId: null });
  // The attempt still follows the line.
  const attempt = await ctx.app.db.selectFrom('callAttempts').select(['status', 'ringingAt']).where('id', '=', attemptId!).executeTakeFirstOrThrow();
  expect(attempt.status).toBe('ringing');
  expect(attempt.ringingAt).not.toBeNull();
});
