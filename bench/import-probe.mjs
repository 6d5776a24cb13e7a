/**
 * Preloaded (`node --import`) into the worker process bench/import.ts starts: at the end of each
 * import phase, one JSON line on stdout with the phase, the process's CPU so far (every thread),
 * its peak RSS during the phase and its memory at the peak so far. Plain JavaScript: the worker
 * runs the production bundle, without a TypeScript loader.
 */
import { subscribe } from 'node:diagnostics_channel';
import process from 'node:process';
import { setInterval } from 'node:timers';

let peak = process.memoryUsage();
let phasePeak = 0;
const sample = () => {
  const memory = process.memoryUsage();
  if (memory.rss > peak.rss) peak = memory;
  phasePeak = Math.max(phasePeak, memory.rss);
};
setInterval(sample, 100).unref();

subscribe('passerelle:import:phase', (phase) => {
  sample();
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ importPhase: phase, cpuSeconds: (cpu.user + cpu.system) / 1e6, phasePeakRss: phasePeak, peak })}\n`);
  phasePeak = 0;
});
