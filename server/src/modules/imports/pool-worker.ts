import { parentPort, workerData } from 'node:worker_threads';
import { makeBatchProcessor, type BatchContext } from './encode.ts';
import type { RawRow } from './parsing/rows.ts';

/** Worker thread: validates and encrypts batches of rows (CPU-bound), in parallel with parsing and COPY. */
const process = makeBatchProcessor(workerData as BatchContext);
parentPort!.on('message', (msg: { id: number; rows: RawRow[] }) => {
  parentPort!.postMessage({ id: msg.id, result: process(msg.rows) });
});
