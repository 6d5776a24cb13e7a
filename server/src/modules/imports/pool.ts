import { Worker } from 'node:worker_threads';
import { makeBatchProcessor, type BatchContext, type BatchResult } from './encode.ts';
import type { RawRow } from './parsing/rows.ts';

export interface BatchPool {
  run(rows: RawRow[]): Promise<BatchResult>;
  close(): Promise<void>;
}

/** In-thread processing: small files, where starting threads costs more than it saves. */
export function inlinePool(ctx: BatchContext): BatchPool {
  const process = makeBatchProcessor(ctx);
  return { run: async (rows) => process(rows), close: async () => undefined };
}

const WORKER_URL = new URL('./pool-worker.ts', import.meta.url);

/**
 * `size` worker threads sharing the CPU-bound part (phone parsing, HMAC, AES-GCM, masking). The
 * source is TypeScript, so threads load it through tsx, whatever runner started this process.
 */
export function threadPool(ctx: BatchContext, size: number): BatchPool {
  const workers = Array.from({ length: size }, () => new Worker(WORKER_URL, { workerData: ctx, execArgv: ['--import', 'tsx'] }));
  const pending = new Map<number, { resolve: (r: BatchResult) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let failure: Error | undefined;
  const failAll = (err: Error) => {
    failure ??= err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  for (const worker of workers) {
    worker.on('message', (msg: { id: number; result: BatchResult }) => {
      pending.get(msg.id)?.resolve(msg.result);
      pending.delete(msg.id);
    });
    worker.on('error', failAll);
    worker.on('exit', (code) => {
      if (code !== 0) failAll(new Error(`import worker thread exited with code ${code}`));
    });
  }
  return {
    run(rows) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        workers[id % workers.length]!.postMessage({ id, rows });
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
