import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread on one of our modules. The production bundle (server/dist) runs the
 * built entry `<bundled>.mjs` (an entry point of build.ts, beside the caller's chunk). From the
 * TypeScript sources, Node 20 does not apply loader hooks to a worker's entry point: the thread
 * loads `source` through tsx's API instead (the ESM build: its CommonJS build cannot import the ESM one).
 */
export function startThread(callerUrl: string, source: string, bundled: string, options: WorkerOptions): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${bundled}.mjs`, callerUrl), { ...options, execArgv: [] });
  const entry = new URL(source, callerUrl).href;
  const tsx = pathToFileURL(createRequire(callerUrl).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`, { ...options, execArgv: [], eval: true });
}
