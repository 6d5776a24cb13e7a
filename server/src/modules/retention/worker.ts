import { Queue, Worker } from 'bullmq';
import type { FastifyPluginAsync } from 'fastify';
import { runRetention } from './purge.ts';

export const RETENTION_QUEUE = 'retention';
/** Sweeps hourly: retention is counted in days, an hour late is harmless. */
const SWEEP_EVERY_MS = 60 * 60_000;

/** Registers the retention worker (BullMQ repeatable sweep under REDIS_PREFIX). */
const retentionModule: FastifyPluginAsync = async (app) => {
  app.workers.register({
    name: 'retention',
    start: async (instance) => {
      const opts = { connection: instance.redis, prefix: instance.config.REDIS_PREFIX };
      const queue = new Queue(RETENTION_QUEUE, opts);
      await queue.upsertJobScheduler('retention-sweep', { every: SWEEP_EVERY_MS }, { name: 'sweep', opts: { removeOnComplete: 100, removeOnFail: 100 } });
      const worker = new Worker(
        RETENTION_QUEUE,
        async () => {
          const purged = await runRetention(instance, instance.log);
          if (purged.length) instance.log.info({ purged }, 'retention purged campaigns');
          return { purged };
        },
        { ...opts, concurrency: 1 },
      );
      worker.on('error', (err) => instance.log.warn({ err: err.message }, 'retention worker error'));
      return {
        close: async () => {
          await worker.close();
          await queue.close();
        },
      };
    },
  });
};

export default retentionModule;
