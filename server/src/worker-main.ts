import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';

/**
 * A process that runs background workers only (no HTTP listener): `node dist/worker-main.mjs` (the
 * production bundle) starts every registered worker, `… worker-main.mjs imports retention` only those named.
 * Killing it loses nothing: jobs are re-run from PostgreSQL state by the next worker.
 */
try {
  const names = process.argv.slice(2);
  const config = { ...loadConfig(), RUN_WORKERS: names.length === 0, SERVE_CONSOLES: false };
  const app = await buildApp(config);
  await app.ready();
  for (const name of names) await app.workers.start(name);
  app.log.info({ workers: names.length ? names : app.workers.names() }, 'workers running');
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'stopping workers');
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(78);
  }
  throw err;
}
