import type { Worker } from 'node:worker_threads';
import { startThread } from '../../lib/threads.ts';
import { makeBatchProcessor, type BatchContext, type BatchResult } from './encode.ts';
import type { RawRow } from './parsing/rows.ts';
import { packRows, type ThreadReply } from './packed.ts';

export interface BatchPool {
  run(rows: RawRow[]): Promise<BatchResult>;
  close(): Promise<void>;
}

/** In-thread processing: small files, where starting threads costs more than it saves. */
export function inlinePool(ctx: BatchContext): BatchPool {
  const process = makeBatchProcessor(ctx);
  return { run: async (rows) => process(rows), close: async () => undefined };
}

function startImportThread(ctx: BatchContext): Worker {
  return startThread(import.meta.url, './pool-worker.ts', 'pool-worker', { workerData: ctx, resourceLimits: THREAD_LIMITS });
}

/** Small heaps: a thread holds one batch at a time, and a tight heap keeps the process RSS low. */
const THREAD_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 };

/** `size` worker threads sharing the CPU-bound part (phone parsing, HMAC, AES-GCM, masking). */
export function threadPool(ctx: BatchContext, size: number): BatchPool {
  const workers = Array.from({ length: size }, () => startImportThread(ctx));
  const pending = new Map<number, { resolve: (r: BatchResult) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let failure: Error | undefined;
  let closing = false;
  const failAll = (err: Error) => {
    if (closing) return;
    failure ??= err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  for (const worker of workers) {
    worker.on('message', ({ id, result }: ThreadReply) => {
      const copy = Buffer.from(result.copy.buffer, result.copy.byteOffset, result.copy.byteLength);
      pending.get(id)?.resolve({ ...result, copy });
      pending.delete(id);
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
      const packed = packRows(rows);
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        workers[id % workers.length]!.postMessage({ id, rows: packed }, [packed.layout.buffer as ArrayBuffer]);
      });
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
