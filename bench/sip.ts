/** SIP call attempts/s through Kamailio with token resolution (SIPp agents → SIPp trunk) vs without; resolve p99. */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { loadConfig } from '../server/src/config.ts';
import { createDb } from '../server/src/db/database.ts';
import { migrateToLatest } from '../server/src/db/migrate.ts';
import { newCallToken } from '../server/src/modules/dialer/token.ts';
import { Vault } from '../server/src/modules/vault/vault.ts';
import { freePort } from '../e2e/harness/server.ts';
import { buildServerBundle, busySince, cpuProfileFlags, cpuSeconds, machineTicks, startNodeFlags, startServerProcess, stopProcess } from './deployed.ts';
import { startTelephony, type TelephonyStack } from '../e2e/harness/telephony.ts';
import { seedOffers } from './sip-seed.ts';

const run = promisify(execFile);
const RATES = (process.env.BENCH_SIP_RATES ?? '10,20,30,50,75,100,150,200').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SIP_SECONDS ?? 8);
const MAX_FAILURE = 0.001;
/** Call events still being applied this long after the last call: the server does not keep up with the rate. */
const MAX_EVENT_LAG_MS = 1000;
const WARMUP_RATE = 2;
const adminUrl = process.env.BENCH_PG_ADMIN_URL ?? process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const UAC = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../telephony/sipp/agent-uac.xml');
const log = (msg: string) => process.stderr.write(`[bench sip] ${msg}\n`);

const quantile = (values: number[], q: number) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * q) - 1))]!;
};
const p99 = (values: number[]) => quantile(values, 0.99);
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

interface RunResult {
  rate: number;
  successful: number;
  failed: number;
  cps: number;
  invite100P99: number;
  /** CPU of the server process (resolution, call events; every thread) per successful call. */
  cpuMsPerCall: number;
  /** Share of the machine's two cores busy during the run (SIPp, Kamailio, rtpengine, server, PostgreSQL). */
  machineBusy: number;
  /** The server's resolve handler during this run (none in the baseline). */
  resolveP50: number;
  resolveP99: number;
}

/** One SIPp agent run at `rate` calls/s for SECONDS, with the given injection file. */
async function sippRun(stack: TelephonyStack, csv: string, rate: number, uacPort: number, resolveMs: number[], serverPid: number): Promise<RunResult> {
  const firstResolve = resolveMs.length;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-sip-'));
  const count = rate * SECONDS;
  const started = performance.now();
  const cpu = cpuSeconds(serverPid);
  const ticks = machineTicks();
  try {
    await run(
      'sipp',
      [
        `127.0.0.1:${stack.sipUdpPort}`, '-sf', UAC, '-inf', csv, '-key', 'domain', stack.domain,
        '-i', '127.0.0.1', '-p', String(uacPort), '-mi', '127.0.0.1', '-mp', String(uacPort + 2),
        '-r', String(rate), '-m', String(count), '-l', String(rate * 5), '-timeout', `${SECONDS + 30}s`, '-timeout_error',
        '-trace_stat', '-stf', path.join(dir, 'stat.csv'), '-fd', '1', '-trace_rtt', '-rtt_freq', '1', '-nostdin',
      ],
      { cwd: dir, timeout: (SECONDS + 60) * 1000, maxBuffer: 64 * 1024 * 1024 },
    ).catch((err: { code?: number }) => {
      // SIPp exits 1 when some calls failed: the statistics say how many.
      if (err.code !== 1) throw err;
    });
    const elapsed = (performance.now() - started) / 1000;
    const used = cpuSeconds(serverPid) - cpu;
    const machineBusy = busySince(ticks);
    const stat = (await readFile(path.join(dir, 'stat.csv'), 'utf8')).trim().split('\n');
    const header = stat[0]!.split(';');
    const last = stat[stat.length - 1]!.split(';');
    const col = (name: string) => Number(last[header.indexOf(name)]);
    const successful = col('SuccessfulCall(C)');
    const failed = col('FailedCall(C)');
    const rttFile = (await readdir(dir)).find((f) => f.endsWith('_rtt.csv'));
    const rtt = rttFile
      ? (await readFile(path.join(dir, rttFile), 'utf8'))
          .trim()
          .split('\n')
          .slice(1)
          .map((l) => Number(l.split(';')[1]))
          .filter((n) => Number.isFinite(n))
      : [];
    // Calls were started over count/rate seconds; each lasts well under a second after that.
    const cps = successful / Math.max(count / rate, elapsed - 2);
    const resolved = resolveMs.slice(firstResolve);
    return {
      rate,
      successful,
      failed,
      cps: round(cps, 1),
      invite100P99: round(p99(rtt)),
      cpuMsPerCall: round((used * 1000) / Math.max(1, successful)),
      machineBusy: round(machineBusy, 3),
      resolveP50: round(quantile(resolved, 0.5)),
      resolveP99: round(p99(resolved)),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Sustained rate: rates in increasing order until failures exceed 0.1%. A short warm-up run comes
 * first, not counted: the first calls after the stack starts could all fail (seen twice).
 */
/** Waits until the server has applied every call's "ended" event; ms after SIPp finished, or null after 30 s. */
async function eventsDrained(openCalls: () => Promise<number>): Promise<number | null> {
  const started = performance.now();
  while (performance.now() - started < 30_000) {
    if ((await openCalls()) === 0) return Math.round(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return null;
}

async function ramp(stack: TelephonyStack, server: ChildProcess, csvFor: (rate: number) => Promise<string>, uacPort: number, label: string, resolveMs: number[], openCalls?: () => Promise<number>) {
  const warm = await sippRun(stack, await csvFor(WARMUP_RATE), WARMUP_RATE, uacPort, [], server.pid!);
  log(`${label} warm-up ${WARMUP_RATE}/s (not counted): ${warm.successful} ok, ${warm.failed} failed`);
  let best: RunResult | null = null;
  let worstFailure = 0;
  for (const rate of RATES) {
    const r = await sippRun(stack, await csvFor(rate), rate, uacPort, resolveMs, server.pid!);
    // Call events (ringing, answered, ended) must keep up with the calls: the last one applied how long after the run.
    const drained = openCalls ? await eventsDrained(openCalls) : undefined;
    const failure = r.failed / Math.max(1, r.successful + r.failed);
    log(`${label} ${rate}/s: ${r.successful} ok, ${r.failed} failed, ${r.cps} cps, INVITE→100 p99 ${r.invite100P99} ms, server CPU ${r.cpuMsPerCall} ms/call, machine ${Math.round(r.machineBusy * 100)} % busy` +
        (r.resolveP99 ? `, resolve p50 ${r.resolveP50} ms p99 ${r.resolveP99} ms` : '') +
        (drained === undefined ? '' : `, call events applied ${drained === null ? 'NOT within 30 s' : `${drained} ms after the last call`}`));
    // Not sustained: calls failing, or their events falling behind (a backlog after the run grows with a longer one).
    if (failure > MAX_FAILURE || drained === null || (drained ?? 0) > MAX_EVENT_LAG_MS) break;
    best = r;
    worstFailure = Math.max(worstFailure, failure);
  }
  return { best, failureRate: worstFailure };
}

async function main() {
  const dbName = `passerelle_bench_sip_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${dbName}`;
  const port = await freePort();
  const uacPort = await freePort();
  const secrets = { SIP_AUTH_SECRET: randomBytes(16).toString('hex'), SIP_API_KEY: randomBytes(16).toString('hex') };
  const telephonyEnv = {
    ...secrets,
    RTP_PORT_MIN: '20000',
    RTP_PORT_MAX: '29999',
    UDP_AGENT_IP: '127.0.0.1',
    UDP_AGENT_PORT: String(uacPort),
    CHILDREN: '8',
    LOG_LEVEL: '0',
    RTP_LOG_LEVEL: '3',
    BENCH_DESTINATION: '+590690000001',
  };
  let server: ChildProcess | undefined;
  let stack: TelephonyStack | undefined;
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'bench-sip-data-'));
  const db = createDb(dbUrl.toString(), { max: 2 });
  try {
    await migrateToLatest(dbUrl.toString());
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: dbUrl.toString(),
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_PREFIX: `bench${randomBytes(4).toString('hex')}`,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      MASTER_KEY: randomBytes(32).toString('hex'),
      LOOKUP_HMAC_KEY: randomBytes(32).toString('hex'),
      ...secrets,
      SIP_DOMAIN: 'passerelle.test',
      DATA_DIR: tmp,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
      SERVE_CONSOLES: 'false',
      RUN_WORKERS: 'false',
    };
    const vault = new Vault(db, loadConfig(env));

    const total = [WARMUP_RATE, ...RATES].reduce((a, r) => a + r * SECONDS, 0);
    log(`seeding ${total} offered calls (trainee, contact, attempt, token each)`);
    const rows = await seedOffers({ db, vault }, total);
    log(`building and starting the server process (production bundle, as npm start: ${startNodeFlags().join(' ')})`);
    buildServerBundle();
    // The probe prints one line per resolution: its time at the server, request in to response out.
    // BENCH_SIP_PROFILE=<dir>: V8 CPU profile of the server, written when it stops.
    const profile = cpuProfileFlags(process.env.BENCH_SIP_PROFILE);
    server = await startServerProcess({ env, port, nodeArgs: [...profile, '--import', new URL('./sip-probe.mjs', import.meta.url).href], stdout: 'pipe' });
    const resolveMs: number[] = [];
    createInterface({ input: server.stdout! }).on('line', (line) => {
      const probe = /^\{"resolveMs":([0-9.e-]+)\}$/.exec(line);
      if (probe) resolveMs.push(Number(probe[1]));
      else log(`server: ${line}`);
    });
    let used = 0;
    const csvFor = async (rate: number) => {
      const slice = rows.slice(used, used + rate * SECONDS);
      used += slice.length;
      const file = path.join(tmp, `tokens-${rate}.csv`);
      await writeFile(file, `SEQUENTIAL\n${slice.join('\n')}\n`);
      return file;
    };

    log('with token resolution');
    stack = await startTelephony({ serverUrl: `http://127.0.0.1:${port}`, defines: ['WITH_UDP_AGENTS'], env: telephonyEnv });
    const openCalls = async () => Number((await db.selectFrom('sipCalls').select((eb) => eb.fn.countAll().as('n')).where('endedAt', 'is', null).executeTakeFirstOrThrow()).n);
    const withResolve = await ramp(stack, server, csvFor, uacPort, 'resolution', resolveMs, openCalls);
    await stack.stop();
    stack = undefined;

    log('baseline (fixed destination, no resolution)');
    stack = await startTelephony({ serverUrl: `http://127.0.0.1:${port}`, defines: ['WITH_UDP_AGENTS', 'WITH_NO_RESOLVE'], env: telephonyEnv });
    const fake = Array.from({ length: Math.max(...RATES) * SECONDS }, () => `${newCallToken()};00000000-0000-4000-8000-000000000000`);
    const baseline = await ramp(
      stack,
      server,
      async (rate) => {
        const file = path.join(tmp, `baseline-${rate}.csv`);
        await writeFile(file, `SEQUENTIAL\n${fake.slice(0, rate * SECONDS).join('\n')}\n`);
        return file;
      },
      uacPort,
      'baseline',
      [],
    );

    const cps = withResolve.best?.cps ?? 0;
    const baselineCps = baseline.best?.cps ?? 0;
    log(`resolution at the server p50 ${round(quantile(resolveMs, 0.5))} ms, p99 ${round(p99(resolveMs))} ms over ${resolveMs.length} resolutions`);
    console.log(
      JSON.stringify({
        bench: 'sip',
        cps,
        failure_rate: round(withResolve.failureRate, 5),
        // At the sustained rate; over every rate tried as well.
        resolve_p99_ms: withResolve.best?.resolveP99 ?? null,
        resolve_p50_ms: withResolve.best?.resolveP50 ?? null,
        resolve_all_rates_p99_ms: round(p99(resolveMs)),
        baseline_cps: baselineCps,
        ratio: baselineCps ? round(cps / baselineCps, 3) : null,
        invite_100_p99_ms: withResolve.best?.invite100P99 ?? null,
        baseline_invite_100_p99_ms: baseline.best?.invite100P99 ?? null,
        server_cpu_ms_per_call: withResolve.best?.cpuMsPerCall ?? null,
        machine_busy: withResolve.best?.machineBusy ?? null,
        baseline_machine_busy: baseline.best?.machineBusy ?? null,
        load_avg_1m: round(os.loadavg()[0]!),
        rates_tried: RATES,
        seconds_per_rate: SECONDS,
      }),
    );
  } finally {
    await stack?.stop();
    await stopProcess(server, process.env.BENCH_SIP_PROFILE ? 60_000 : 10_000);
    await db.destroy();
    // Not forced: a pool connection still closing would die with an unhandled error.
    await admin.query(`drop database if exists ${dbName}`).catch((err: Error) => log(`database ${dbName} not dropped: ${err.message}`));
    await admin.end();
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
