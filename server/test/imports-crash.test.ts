import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ImportView } from '@passerelle/shared/api/imports';
import { startTestApp, type TestContext } from './app.ts';
import { login, seedFixture, type Fixture, type LoggedIn } from './fixtures.ts';
import { makeCampaign } from './vault-fixtures.ts';
import { confirm, settle, upload } from './imports-helpers.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ROWS = 200_000;
const DUP_EVERY = 50;

let ctx: TestContext;
let fx: Fixture;
let partnerA: LoggedIn;
const children: ChildProcess[] = [];

beforeAll(async () => {
  // The worker runs as in production: the bundle in server/dist (and its import threads), built now.
  execFileSync(process.execPath, ['--import', 'tsx', 'build.ts'], { cwd: path.join(root, 'server'), stdio: 'inherit' });
  ctx = await startTestApp();
  fx = await seedFixture(ctx.app);
  partnerA = await login(ctx.app, fx.users.partnerA.username);
});
afterAll(async () => {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  await ctx?.close();
});

/** `node server/dist/worker-main.mjs imports` (the production bundle) with the test app's configuration. */
function spawnWorker(): ChildProcess {
  const c = ctx.config;
  const child = spawn(process.execPath, [path.join(root, 'server/dist/worker-main.mjs'), 'imports'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      DATABASE_URL: c.DATABASE_URL,
      REDIS_URL: c.REDIS_URL,
      REDIS_PREFIX: c.REDIS_PREFIX,
      SESSION_SECRET: c.SESSION_SECRET,
      MASTER_KEY: c.MASTER_KEY,
      LOOKUP_HMAC_KEY: c.LOOKUP_HMAC_KEY,
      DATA_DIR: c.DATA_DIR,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  return child;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('a worker killed (SIGKILL) mid-import leaves nothing half-way; the next one completes exactly once', { timeout: 240_000 }, async () => {
  const campaign = await makeCampaign(ctx.app, fx.partnerA);
  const lines = ['Nom;Prénom;Portable'];
  for (let i = 0; i < ROWS; i++) {
    const n = i % DUP_EVERY === DUP_EVERY - 1 ? i - 1 : i; // every 50th row repeats the previous number
    lines.push(`Nom${i};Prénom${i};0690 ${String(n).padStart(6, '0').replace(/(\d{2})(\d{2})(\d{2})/, '$1 $2 $3')}`);
  }
  const up = await upload(ctx.app, partnerA.headers, campaign, 'gros.csv', lines.join('\r\n'));
  expect(up.statusCode, up.body).toBe(201);
  const importId = (up.json() as ImportView).id;
  const expected = ROWS - ROWS / DUP_EVERY;

  const first = spawnWorker();
  expect((await confirm(ctx.app, partnerA.headers, importId, { phones: [2], fields: { lastName: 0, firstName: 1 }, extra: [] }, true)).statusCode).toBe(202);
  const progress = await waitFor(
    'the first run to be well under way',
    async () => {
      const row = await ctx.app.db.selectFrom('imports').select(['status', 'rowsRead']).where('id', '=', importId).executeTakeFirstOrThrow();
      expect(row.status).not.toBe('completed');
      return row.status === 'processing' && row.rowsRead >= 30_000 ? row.rowsRead : undefined;
    },
    60_000,
  );
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));
  expect(progress).toBeLessThan(ROWS);

  // Nothing is visible half-way: the contacts appear all at once or not at all.
  const during = await ctx.app.db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).where('campaignId', '=', campaign).executeTakeFirstOrThrow();
  expect(Number(during.n)).toBe(0);

  spawnWorker();
  const done = await settle(ctx.app, partnerA.headers, importId, 200_000);
  expect(done).toMatchObject({ status: 'completed', counts: { read: ROWS, accepted: expected, rejected: ROWS / DUP_EVERY, imported: expected }, reasons: { duplicate_in_file: ROWS / DUP_EVERY } });
  const stats = await sql<{ n: number; distinct: number }>`select count(*)::int as n, count(distinct phone_hmac)::int as distinct
    from contacts where campaign_id = ${campaign}::uuid`.execute(ctx.app.db);
  expect(stats.rows[0]).toEqual({ n: expected, distinct: expected });
  const rejects = await sql<{ n: number; distinct: number }>`select count(*)::int as n, count(distinct row_no)::int as distinct
    from import_rejects where import_id = ${importId}::uuid`.execute(ctx.app.db);
  expect(rejects.rows[0]).toEqual({ n: ROWS / DUP_EVERY, distinct: ROWS / DUP_EVERY });
  const row = await ctx.app.db.selectFrom('imports').select('runs').where('id', '=', importId).executeTakeFirstOrThrow();
  expect(row.runs).toBe(2);
  const staging = await sql<{ n: number }>`select count(*)::int as n from pg_tables where tablename like 'import_staging_%'`.execute(ctx.app.db);
  expect(staging.rows[0]!.n).toBe(0);
});
