import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { failImport, processImport, type ImportDeps } from './job.ts';

export const IMPORT_QUEUE = 'imports';

export interface ImportJob {
  importId: string;
}

/** BullMQ queue of import runs; every key under REDIS_PREFIX. */
export function createImportQueue(connection: ConnectionOptions, prefix: string): Queue<ImportJob> {
  return new Queue<ImportJob>(IMPORT_QUEUE, { connection, prefix });
}

/** One job per step; the job only names the import, the database says what to do with it. */
export async function enqueueImport(queue: Queue<ImportJob>, importId: string, step: 'process' | 'commit'): Promise<void> {
  await queue.add(step, { importId }, {
    jobId: `${importId}-${step}`,
    attempts: 8,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: true,
    removeOnFail: 1_000,
  });
}

/**
 * The import worker. A crashed run (process killed) is detected by BullMQ's stalled-job check once
 * its lock lapses, and re-run from scratch: processImport drops what the dead run staged.
 */
export function startImportWorker(deps: ImportDeps, connection: ConnectionOptions, prefix: string): Worker<ImportJob> {
  const worker = new Worker<ImportJob>(IMPORT_QUEUE, (job) => processImport(deps, job.data.importId), {
    connection,
    prefix,
    concurrency: 1,
    lockDuration: 10_000,
    stalledInterval: 3_000,
    maxStalledCount: 10,
  });
  worker.on('failed', (job, err) => {
    if (!job) return;
    deps.log.warn({ importId: job.data.importId, attempt: job.attemptsMade, err: err.message }, 'import run failed');
    if (job.attemptsMade < (job.opts.attempts ?? 1)) return;
    failImport(deps, job.data.importId, 'IMPORT_ERROR', 'L’import a échoué après plusieurs tentatives ; rien n’a été importé.').catch((e: Error) =>
      deps.log.warn({ importId: job.data.importId, err: e.message }, 'import not marked failed'),
    );
  });
  worker.on('error', (err) => deps.log.warn({ err: err.message }, 'import worker error'));
  return worker;
}
