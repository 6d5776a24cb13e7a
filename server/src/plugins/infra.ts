import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import { createDb, type Db } from '../db/database.ts';
import { AuditService } from '../modules/audit/service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Db;
    redis: Redis;
    audit: AuditService;
  }
}

/** Connections shared by every module: Postgres (Kysely), Redis, and the audit trail. */
export default fp<{ config: Config }>(async (app, { config }) => {
  const db = createDb(config.DATABASE_URL, {
    applicationName: 'passerelle-api',
    onIdleError: (err) => app.log.warn({ err: err.message }, 'postgres idle connection lost'),
  });
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false });
  redis.on('error', (err) => app.log.warn({ err: err.message }, 'redis error'));
  app.decorate('config', config);
  app.decorate('db', db);
  app.decorate('redis', redis);
  app.decorate('audit', new AuditService(db));
  app.addHook('onClose', async () => {
    await db.destroy();
    redis.disconnect();
  });
});
