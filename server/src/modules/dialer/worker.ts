import { Queue, Worker } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { DialerService } from './service.ts';

export const DIALER_QUEUE = 'dialer';

/** The dialer's queue: a repeating sweep and one delayed job per callback (wake-up only). */
export function dialerQueue(app: FastifyInstance): Queue {
  return new Queue(DIALER_QUEUE, { connection: app.redis, prefix: app.config.REDIS_PREFIX });
}

export function scheduleCallback(queue: Queue) {
  return async (callbackId: string, dueAt: Date) => {
    await queue.add('callback-due', { callbackId }, { delay: Math.max(0, dueAt.getTime() - Date.now()), jobId: `cb-${callbackId}`, removeOnComplete: true, removeOnFail: 100 });
  };
}

/**
 * Runs the dialer's background work: the sweep every DIALER_TICK_MS (offers, wrap-ups,
 * heartbeats, orphan locks, hopper refill, dispatch, supervisor counters) and callback wake-ups.
 * The callbacks themselves live in Postgres; a lost job only delays a callback to the next sweep.
 */
export async function startDialerWorker(app: FastifyInstance, queue: Queue, dialer: DialerService): Promise<Worker> {
  await queue.upsertJobScheduler('dialer-tick', { every: app.config.DIALER_TICK_MS }, { name: 'tick', opts: { removeOnComplete: true, removeOnFail: 50 } });
  const worker = new Worker(
    DIALER_QUEUE,
    async (job) => {
      if (job.name === 'tick') {
        await dialer.sweep();
        await dialer.publishCounters();
      } else if (job.name === 'callback-due') {
        await dialer.dispatch();
      }
    },
    { connection: app.redis, prefix: app.config.REDIS_PREFIX, concurrency: 1 },
  );
  worker.on('failed', (job, err) => app.log.error({ err, job: job?.name }, 'dialer job failed'));
  worker.on('error', (err) => app.log.warn({ err: err.message }, 'dialer worker error'));
  return worker;
}
