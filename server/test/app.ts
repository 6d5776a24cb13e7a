import { randomBytes } from 'node:crypto';
import type { FastifyServerOptions } from 'fastify';
import { buildApp, type App } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { createFreshDatabase } from './db.ts';

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
