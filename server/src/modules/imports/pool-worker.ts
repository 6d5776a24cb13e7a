import { parentPort, workerData } from 'node:worker_threads';
import { makeBatchProcessor, type BatchContext } from './encode.ts';
import { unpackRows, type PackedRows, type ThreadReply } from './packed.ts';

/** Worker thread: validates and encrypts batches of rows (CPU-bound), in parallel with parsing and COPY. */
const process = makeBatchProcessor(workerData as BatchContext);
parentPort!.on('message', (msg: { id: number; rows: PackedRows }) => {
  const result = process(unpackRows(msg.rows));
  // The COPY bytes own their ArrayBuffer (BinaryRows allocates outside Buffer's pool): moved, not copied.
  parentPort!.postMessage({ id: msg.id, result } satisfies ThreadReply, [result.copy.buffer as ArrayBuffer]);
});
