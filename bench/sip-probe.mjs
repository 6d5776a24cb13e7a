/**
 * Preloaded (`node --import`) into the server process bench/sip.ts starts: one JSON line on stdout
 * per token resolution, with the time from the request's arrival to the end of its response
 * (Node's own HTTP diagnostics channels, so nothing in the server is changed for the bench).
 * Plain JavaScript: the server runs the production bundle, without a TypeScript loader.
 */
import { subscribe } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import process from 'node:process';

const started = new WeakMap();
subscribe('http.server.request.start', ({ request }) => {
  if (request.url?.startsWith('/internal/sip/resolve')) started.set(request, performance.now());
});
subscribe('http.server.response.finish', ({ request }) => {
  const at = started.get(request);
  if (at !== undefined) process.stdout.write(`${JSON.stringify({ resolveMs: performance.now() - at })}\n`);
});
