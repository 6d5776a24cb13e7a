import { randomBytes } from 'node:crypto';
import type { FastifyServerOptions } from 'fastify';
import { buildApp, type App } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { createFreshDatabase } from './db.ts';
import { seedFixture, type Fixture } from './fixtures.ts';

export function testConfig(databaseUrl: string, overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `pt${randomBytes(4).toString('hex')}`,
    SESSION_SECRET: 'test-session-secret-test-session-secret',
    MASTER_KEY: '11'.repeat(32),
    LOOKUP_HMAC_KEY: '22'.repeat(32),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SERVE_CONSOLES: 'false',
    RUN_WORKERS: 'false',
    DATA_DIR: `/tmp/passerelle-test-${randomBytes(4).toString('hex')}`,
    ...overrides,
  });
}

export interface TestContext {
  app: App;
  config: Config;
  databaseUrl: string;
  close: () => Promise<void>;
}

/** A real app on a fresh database (real Postgres, real Redis); call close() in afterAll. */
export async function startTestApp(
  overrides: Record<string, string> = {},
  options: Partial<FastifyServerOptions> = {},
): Promise<TestContext> {
  const db = await createFreshDatabase();
  const config = testConfig(db.url, overrides);
  const app = await buildApp(config, options);
  await app.ready();
  return {
    app,
    config,
    databaseUrl: db.url,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

/** startTestApp() with the fixture seeded (a site, two partners, a user of every role). */
export async function startSeededApp(overrides: Record<string, string> = {}): Promise<{ ctx: TestContext; fx: Fixture }> {
  const ctx = await startTestApp(overrides);
  return { ctx, fx: await seedFixture(ctx.app) };
}

/** Listens on a free local port and returns the base URL (for socket.io clients). */
export async function listenLocally(app: App): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
}

export interface TwoInstances extends TestContext {
  /** Another instance on the same database and Redis, as behind a load balancer. */
  second: App;
  /** Base URLs of `app` and `second`. */
  urls: [string, string];
}

/** Two listening instances of the app on one fresh database and one Redis; close() stops both. */
export async function startTwoInstances(overrides: Record<string, string> = {}): Promise<TwoInstances> {
  const ctx = await startTestApp(overrides);
  const second = await buildApp(ctx.config);
  await second.ready();
  return {
    ...ctx,
    second,
    urls: [await listenLocally(ctx.app), await listenLocally(second)],
    close: async () => {
      await second.close();
      await ctx.close();
    },
  };
}
