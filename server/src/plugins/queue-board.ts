import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import fp from 'fastify-plugin';
import { Queue } from 'bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { forbidden, unauthorized } from '../lib/errors.ts';
import { DIALER_QUEUE } from '../modules/dialer/worker.ts';
import { IMPORT_QUEUE } from '../modules/imports/queue.ts';
import { RETENTION_QUEUE } from '../modules/retention/worker.ts';
import { SESSION_COOKIE } from './auth.ts';

export const QUEUE_BOARD_PATH = '/admin/queues';

/** The BullMQ queues modules run (names are prefixed with REDIS_PREFIX by BullMQ's `prefix`). */
export const BOARD_QUEUES = [DIALER_QUEUE, IMPORT_QUEUE, RETENTION_QUEUE] as const;

/**
 * Bull Board's page, minus what the CSP forbids anyway (a Google Fonts stylesheet, inline styles
 * of the loading placeholder): no external request is even attempted.
 */
function localViewsDir(): string {
  const require = createRequire(import.meta.url);
  const source = path.join(path.dirname(require.resolve('@bull-board/ui/package.json')), 'dist');
  const html = readFileSync(path.join(source, 'index.ejs'), 'utf8')
    .replace(/<link[^>]+fonts\.googleapis\.com[^>]*>\s*/g, '')
    .replace(/\sstyle="[^"]*"/g, '')
    .replace(/<style>[\s\S]*?<\/style>/g, '');
  const dir = path.join(os.tmpdir(), `passerelle-bull-board-${process.getuid?.() ?? 0}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'index.ejs'), html);
  return dir;
}

/**
 * Bull Board for admins at /admin/queues. Not an /api route (no access declaration): an onRequest
 * hook on this scope alone requires an admin session; its API calls are same-origin XHRs carrying
 * the session cookie, and the cookie's SameSite policy keeps other sites from driving them.
 */
export default fp(
  async (app) => {
    const queues = BOARD_QUEUES.map((name) => new Queue(name, { connection: app.redis, prefix: app.config.REDIS_PREFIX }));
    const adapter = new FastifyAdapter();
    adapter.setBasePath(QUEUE_BOARD_PATH);
    createBullBoard({
      queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: false })),
      serverAdapter: adapter,
      options: { uiConfig: { boardTitle: 'Passerelle — files', locale: { lng: 'fr' } } },
    });
    adapter.setViewsPath(localViewsDir());

    await app.register(
      async (scope) => {
        scope.addHook('onRequest', async (request) => {
          const token = request.cookies[SESSION_COOKIE];
          const principal = token && token.length < 200 ? await app.auth.resolveSession(token, request.ip) : null;
          if (!principal) throw unauthorized();
          if (principal.role !== 'admin') throw forbidden();
          // The session cookie is SameSite=strict; a cross-site Origin on a job action is refused as well.
          const origin = request.headers.origin;
          if (request.method !== 'GET' && origin && new URL(origin).host !== request.headers.host) throw forbidden();
          request.principal = principal;
        });
        await scope.register(adapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
      },
    );
    app.addHook('onClose', async () => {
      await Promise.all(queues.map((q) => q.close()));
    });
  },
  { name: 'queue-board', dependencies: ['workers'] },
);
