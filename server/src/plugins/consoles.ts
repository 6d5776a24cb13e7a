import { existsSync } from 'node:fs';
import path from 'node:path';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import { repoRoot } from '../lib/paths.ts';

const root = repoRoot(import.meta.url);

/** Serves the built consoles (`vite build` output) at /agent/ and /supervisor/, with SPA fallback. */
export default fp(async (app) => {
  for (const [name, prefix] of [['agent-console', '/agent/'], ['supervisor-console', '/supervisor/']] as const) {
    const dist = path.join(root, name, 'dist');
    if (!existsSync(path.join(dist, 'index.html'))) {
      app.log.warn({ dist }, `${name} is not built; run npm run build`);
      continue;
    }
    await app.register(async (scope) => {
      await scope.register(fastifyStatic, { root: dist, prefix, decorateReply: true, index: 'index.html', wildcard: false });
      scope.get(`${prefix}*`, { schema: { hide: true } }, (_request, reply) => reply.sendFile('index.html', { maxAge: 0 }));
      scope.get(prefix.slice(0, -1), { schema: { hide: true } }, (_request, reply) => reply.redirect(prefix));
    });
  }
  app.get('/', { schema: { hide: true } }, (_request, reply) => reply.redirect('/supervisor/'));
});
