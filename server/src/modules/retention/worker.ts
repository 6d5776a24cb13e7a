import { Queue, Worker } from 'bullmq';
import type { WorkerDefinition } from '../../plugins/workers.ts';
import { runRetention } from './purge.ts';

export const RETENTION_QUEUE = 'retention';
/** Sweeps hourly: retention is counted in days, an hour late is harmless. */
const SWEEP_EVERY_MS = 60 * 60_000;

/** The retention sweep as a BullMQ repeatable job, every key under REDIS_PREFIX. */
export const retentionWorker: WorkerDefinition = {
  name: 'retention',
  start: async (app) => {
    const opts = { connection: app.redis, prefix: app.config.REDIS_PREFIX };
    const queue = new Queue(RETENTION_QUEUE, opts);
    await queue.upsertJobScheduler('retention-sweep', { every: SWEEP_EVERY_MS }, { name: 'sweep', opts: { removeOnComplete: 100, removeOnFail: 100 } });
    const worker = new Worker(
      RETENTION_QUEUE,
      async () => {
        const purged = await runRetention(app, app.log);
        if (purged.length) app.log.info({ purged }, 'retention purged campaigns');
        return { purged };
      },
      { ...opts, concurrency: 1 },
    );
    worker.on('error', (err) => app.log.warn({ err: err.message }, 'retention worker error'));
    return {
      close: async () => {
        await worker.close();
        await queue.close();
      },
    };
  },
};
