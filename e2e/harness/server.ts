import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyServerOptions } from 'fastify';
import { buildApp, type App } from '../../server/src/app.ts';
import type { Config } from '../../server/src/config.ts';
import { testConfig } from '../../server/test/app.ts';
import { createFreshDatabase } from '../../server/test/db.ts';
import { seedFixture, type Fixture } from '../../server/test/fixtures.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface StartServerOptions {
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** Port to listen on (default: a free one). */
  port?: number;
  /** Environment overrides on top of the test configuration (e.g. SIP_WS_URL). */
  env?: Record<string, string>;
  /** Seed the fixture (site with a 127.0.0.0/8 seat, partners A/B, one user per role); default true. */
  seed?: boolean;
  fastify?: Partial<FastifyServerOptions>;
}

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  host: string;
  port: number;
  app: App;
  config: Config;
  databaseUrl: string;
  /** The seeded fixture, or null with `seed: false`. */
  fixture: Fixture | null;
  close: () => Promise<void>;
}

/** A port nobody listens on right now (so the configuration can know the public URL up front). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The real server (consoles served, real PostgreSQL and Redis) on a fresh database cloned from the
 * run's migrated template, listening on a TCP port. Needs the e2e project's global setup (template).
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const db = await createFreshDatabase();
  let app: App | undefined;
  try {
    // Errors (a 5xx, a failed worker) reach the test output: a failure in CI is explained there.
    const config = testConfig(db.url, { SERVE_CONSOLES: 'true', HOST: host, PORT: String(port), PUBLIC_URL: url, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error', ...options.env });
    app = await buildApp(config, options.fastify);
    const fixture = options.seed === false ? null : await seedFixture(app);
    await app.listen({ host, port });
    const running = app;
    return {
      url,
      host,
      port,
      app: running,
      config,
      databaseUrl: db.url,
      fixture,
      close: async () => {
        await running.close();
        await db.drop();
      },
    };
  } catch (err) {
    await app?.close();
    await db.drop();
    throw err;
  }
}

/** Builds a console with Vite when its dist/ is missing (the test script builds both beforehand). */
export function ensureConsolesBuilt(names: readonly string[] = ['agent-console', 'supervisor-console']): void {
  const vite = path.join(repoRoot, 'node_modules/.bin/vite');
  for (const name of names) {
    const dir = path.join(repoRoot, name);
    if (!existsSync(path.join(dir, 'dist/index.html'))) {
      execFileSync(vite, ['build', '--logLevel', 'warn'], { cwd: dir, stdio: 'inherit' });
    }
  }
}
