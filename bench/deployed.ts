/** The server as deployed, for the benchmarks that measure it: its production bundle, node flags and /proc readings. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Builds server/dist (`main.mjs`, `worker-main.mjs` and the thread entries), as `npm run build` does. */
export function buildServerBundle(): void {
  execFileSync(process.execPath, ['--import', 'tsx', 'build.ts'], { cwd: path.join(root, 'server'), stdio: 'inherit' });
}

/** The V8 flags `npm start` runs the server with (its heap cap): the server is measured as deployed. */
export function startNodeFlags(): string[] {
  const start: string = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.start;
  return start.split(' ').filter((arg) => arg.startsWith('--max-'));
}

/** CPU seconds (user + system, every thread) a process used so far. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A process's resident memory now (`VmRSS`) or at its peak so far (`VmHWM`), in MB. */
export function rssMb(pid: number, which: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const m = new RegExp(`${which}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

/** The machine's CPU time so far (/proc/stat, every core), busy and total, in clock ticks. */
export function machineTicks(): { busy: number; total: number } {
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  // idle and iowait
  return { busy: total - ticks[3]! - (ticks[4] ?? 0), total };
}

/** Share of every core that was busy since `from` (0..1). */
export const busySince = (from: { busy: number; total: number }): number => {
  const now = machineTicks();
  return (now.busy - from.busy) / Math.max(1, now.total - from.total);
};

/**
 * A process of the production bundle (`server/dist/<entry>`, e.g. `main.mjs` or `worker-main.mjs`)
 * with `npm start`'s node flags, plus `nodeArgs` (a preloaded probe, a CPU profile).
 */
export function spawnBundle(entry: string, opts: { env: Record<string, string>; args?: string[]; nodeArgs?: string[]; stdout?: 'ignore' | 'pipe' }): ChildProcess {
  return spawn(process.execPath, [...(opts.nodeArgs ?? []), ...startNodeFlags(), path.join(root, 'server/dist', entry), ...(opts.args ?? [])], {
    cwd: root,
    stdio: ['ignore', opts.stdout ?? 'ignore', 'inherit'],
    env: { ...process.env, ...opts.env },
  });
}

/** The API server as deployed (`main.mjs`), listening on 127.0.0.1:`port`. Resolves once /healthz answers. */
export async function startServerProcess(opts: { env: Record<string, string>; port: number; nodeArgs?: string[]; stdout?: 'ignore' | 'pipe' }): Promise<ChildProcess> {
  const child = spawnBundle('main.mjs', { ...opts, env: { ...opts.env, HOST: '127.0.0.1', PORT: String(opts.port) } });
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${opts.port}/healthz`)).ok) return child;
    } catch {
      /* starting */
    }
    if (i > 600) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Node flags writing a V8 CPU profile into `dir` when the process stops (none without a `dir`). */
export const cpuProfileFlags = (dir: string | undefined): string[] => (dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []);

/** SIGTERM, then SIGKILL if the process is still there after `graceMs`. */
export async function stopProcess(child: ChildProcess | undefined, graceMs = 10_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]);
  child.kill('SIGKILL');
}
