import fp from 'fastify-plugin';
import { sql } from 'kysely';
import client from 'prom-client';

/** /healthz (process up), /readyz (Postgres and Redis answer), /metrics (Prometheus). */
export default fp(async (app) => {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'passerelle_' });
  const httpDuration = new client.Histogram({
    name: 'passerelle_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  app.decorate('metrics', registry);
  app.addHook('onResponse', async (request, reply) => {
    httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const checks = await Promise.allSettled([sql`select 1`.execute(app.db), app.redis.ping()]);
    const [postgres, redis] = checks.map((c) => (c.status === 'fulfilled' ? 'ok' : 'down'));
    const ready = postgres === 'ok' && redis === 'ok';
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', postgres, redis });
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
});

declare module 'fastify' {
  interface FastifyInstance {
    metrics: client.Registry;
  }
}
