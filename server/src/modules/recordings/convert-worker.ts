import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { convertPcaps } from './convert.ts';

/** Worker thread: converts one call's pcaps at a time, off the server's event loop. */
parentPort!.on('message', ({ id, paths }: { id: number; paths: string[] }) => {
  Promise.all(paths.map((p) => readFile(p)))
    .then((files) => parentPort!.postMessage({ id, result: convertPcaps(files) }))
    .catch((err: unknown) => parentPort!.postMessage({ id, error: err instanceof Error ? err.message : String(err) }));
});
