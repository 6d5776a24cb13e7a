import type { Worker } from 'node:worker_threads';
import { startThread } from '../../lib/threads.ts';
import type { ConvertedRecording } from './convert.ts';

type Reply = { id: number; result?: ConvertedRecording | null; error?: string };

/**
 * Converts recordings in a worker thread: a five-minute call is ~0.2 s of CPU, which on the
 * server's event loop would hold up every token resolution and realtime message meanwhile.
 * One thread, started on first use, started again after a crash; idle, it does not keep the process alive.
 */
export class RecordingConverter {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve: (r: ConvertedRecording | null) => void; reject: (e: Error) => void }>();
  private nextId = 0;

  convert(pcapPaths: string[]): Promise<ConvertedRecording | null> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const worker = this.thread();
      worker.ref(); // while a conversion is pending
      worker.postMessage({ id, paths: pcapPaths });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = startThread(import.meta.url, './convert-worker.ts', 'recording-worker', {});
    worker.on('message', ({ id, result, error }: Reply) => {
      const p = this.pending.get(id);
      this.pending.delete(id);
      if (this.pending.size === 0) worker.unref();
      if (error !== undefined) p?.reject(new Error(error));
      else p?.resolve(result ? { ...result, wav: Buffer.from(result.wav.buffer, result.wav.byteOffset, result.wav.byteLength) } : null);
    });
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`recording thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }
}
