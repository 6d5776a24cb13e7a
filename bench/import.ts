/**
 * Import pipeline: 1M-row French file (Windows-1252, `;`) end to end vs raw COPY; rows/s, peak RSS.
 * This process serves the API (upload, mapping); the import runs in the production worker process,
 * whose RSS and CPU are measured.
 */
import type { ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { once } from 'node:events';
import http from 'node:http';
import { createInterface } from 'node:readline';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import iconv from 'iconv-lite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { defaultMaskingPolicy } from '@passerelle/shared/masking';
import type { ImportView } from '@passerelle/shared/api/imports';
import { buildApp } from '../server/src/app.ts';
import { loadConfig } from '../server/src/config.ts';
import { migrateToLatest } from '../server/src/db/migrate.ts';
import { randomToken, sha256Hex } from '../server/src/lib/tokens.ts';
import type { ImportPhase } from '../server/src/modules/imports/job.ts';
import { buildServerBundle, cpuProfileFlags, cpuSeconds, rssMb, spawnBundle, stopProcess } from './deployed.ts';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const INVALID_RATE = 0.05;
const DUPLICATE_RATE = 0.02;
const adminUrl = process.env.BENCH_PG_ADMIN_URL ?? process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const log = (msg: string) => process.stderr.write(`[bench import] ${msg}\n`);

/** Deterministic pseudo-random numbers (xorshift), so every run imports the same file. */
function rng(seed: number) {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

const FIRST = ['Marie', 'Jean', 'Hélène', 'Françoise', 'Noël', 'Gaëlle', 'José', 'Anaïs', 'Léa', 'Cédric'];
const LAST = ['Dupont', 'Lefèvre', 'Bérard', 'Câlin', 'Mérion', 'Océan', 'Théodore', 'Jérôme', 'Zoé', 'Ébène'];
const CITIES: Array<[string, string]> = [['Pointe-à-Pitre', '97110'], ['Baie-Mahault', '97122'], ['Fort-de-France', '97200'], ['Cayenne', '97300'], ['Saint-Denis', '97400'], ['Mamoudzou', '97600'], ['Paris', '75011']];
const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** Synthetic national numbers inside allocated blocks (GP, MQ, GF, RE, YT mobiles; metropolitan 06 12). */
const RANGES: Array<(k: number) => string> = [
  (k) => `0690${pad(k, 6)}`,
  (k) => `0696${pad(k, 6)}`,
  (k) => `0694${'012'[Math.floor(k / 100_000)]}${pad(k % 100_000, 5)}`,
  (k) => `0692${pad(k, 6)}`,
  (k) => `0639${'267'[Math.floor(k / 100_000)]}${pad(k % 100_000, 5)}`,
  (k) => `0612${pad(k, 6)}`,
];

/** One synthetic number in one of the many ways French files write it. */
function formatted(national: string, style: number): string {
  const d = national;
  const cc: Record<string, string> = { '0690': '590', '0696': '596', '0694': '594', '0692': '262', '0639': '262', '0612': '33' };
  const code = cc[d.slice(0, 4)]!;
  const rest = code === '33' ? d.slice(1) : d.slice(1);
  switch (style) {
    case 0: return d;
    case 1: return `${d.slice(0, 4)} ${d.slice(4, 6)} ${d.slice(6, 8)} ${d.slice(8)}`;
    case 2: return d.replace(/(\d{2})(?=\d)/g, '$1.');
    case 3: return d.replace(/(\d{2})(?=\d)/g, '$1-');
    case 4: return `+${code} ${rest.slice(0, 3)} ${rest.slice(3, 5)} ${rest.slice(5, 7)} ${rest.slice(7)}`;
    case 5: return `00${code}${rest}`;
    default: return `(${d.slice(0, 4)}) ${d.slice(4, 6)} ${d.slice(6, 8)} ${d.slice(8)}`;
  }
}

async function generate(file: string): Promise<{ invalid: number; duplicates: number }> {
  const random = rng(0x5eed);
  const out = createWriteStream(file);
  const header = 'Nom;Prénom;Téléphone;Ville;Code postal;Courriel;N° client;Date de naissance\r\n';
  out.write(iconv.encode(header, 'windows-1252'));
  let invalid = 0;
  let duplicates = 0;
  let chunk = '';
  const seen: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    const r = random();
    let phone: string;
    if (r < INVALID_RATE) {
      phone = random() < 0.5 ? `06 90 ${i % 100}` : `tél inconnu ${i}`;
      invalid++;
    } else if (r < INVALID_RATE + DUPLICATE_RATE && seen.length > 0) {
      phone = seen[Math.floor(random() * seen.length)]!;
      duplicates++;
    } else {
      const national = RANGES[i % RANGES.length]!(Math.floor(i / RANGES.length));
      phone = formatted(national, i % 7);
      if (seen.length < 10_000) seen.push(phone);
    }
    const [city, cp] = CITIES[i % CITIES.length]!;
    const day = String(1 + (i % 28)).padStart(2, '0');
    chunk += `${LAST[i % 10]};${FIRST[(i >> 3) % 10]};${phone};${city};${cp};client${i}@exemple.fr;C-${100000 + i};${day}/0${1 + (i % 9)}/19${50 + (i % 50)}\r\n`;
    if (chunk.length > 512 * 1024) {
      if (!out.write(iconv.encode(chunk, 'windows-1252'))) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(iconv.encode(chunk, 'windows-1252'));
  await once(out, 'finish');
  return { invalid, duplicates };
}

/** Streams the file as multipart/form-data to the running server (never held in memory). */
async function uploadFile(url: string, apiKey: string, file: string): Promise<ImportView> {
  const boundary = `----bench${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="clients-1M.csv"\r\nContent-Type: text/csv\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const size = head.length + statSync(file).size + tail.length;
  const req = http.request(url, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': size } });
  const response = once(req, 'response') as Promise<[http.IncomingMessage]>;
  req.write(head);
  await pipeline(createReadStream(file), req, { end: false });
  req.end(tail);
  const [res] = await response;
  let body = '';
  for await (const c of res) body += c;
  if (res.statusCode !== 201) throw new Error(`upload failed: ${res.statusCode} ${body}`);
  return JSON.parse(body) as ImportView;
}

async function api<T>(url: string, apiKey: string, method: 'GET' | 'POST', payload?: object): Promise<T> {
  const res = await fetch(url, { method, headers: { authorization: `Bearer ${apiKey}`, ...(payload ? { 'content-type': 'application/json' } : {}) }, body: payload ? JSON.stringify(payload) : undefined });
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The physical baseline: the same file decoded and COPYed as-is into an unlogged table. */
async function rawCopy(databaseUrl: string, file: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`create unlogged table bench_raw (nom text, prenom text, telephone text, ville text, cp text, email text, ref text, naissance text)`);
    const started = performance.now();
    await pipeline(
      createReadStream(file, { highWaterMark: 256 * 1024 }),
      iconv.decodeStream('windows-1252'),
      client.query(copyFrom(`copy bench_raw from stdin with (format csv, delimiter ';', header true)`)),
    );
    const seconds = (performance.now() - started) / 1000;
    const { rows } = await client.query<{ n: string }>('select count(*) as n from bench_raw');
    if (Number(rows[0]!.n) !== ROWS) throw new Error(`raw COPY loaded ${rows[0]!.n} rows`);
    return ROWS / seconds;
  } finally {
    await client.end();
  }
}

/**
 * CPU time of the benchmark database's PostgreSQL backends (same machine), from /proc: each
 * backend's latest reading is kept, so a connection closed between two samples still counts.
 */
function postgresCpu(admin: pg.Client, dbName: string) {
  const seen = new Map<number, number>();
  return {
    async sample(): Promise<void> {
      const { rows } = await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [dbName]);
      for (const { pid } of rows) {
        try {
          seen.set(pid, cpuSeconds(pid));
        } catch {
          // the backend just exited: its last reading stands
        }
      }
    },
    total: () => [...seen.values()].reduce((a, b) => a + b, 0),
  };
}

/** What the probe (import-probe.mjs) reports from the worker process at the end of a phase. */
interface ProbeLine {
  importPhase: ImportPhase;
  cpuSeconds: number;
  phasePeakRss: number;
  peak: NodeJS.MemoryUsage;
}

/**
 * The import worker as deployed: the production bundle's worker process (`worker-main.mjs
 * imports`, as the compose file's worker, with `npm start`'s node flags), with the probe
 * preloaded. Resolves once its workers run; `onPhase` gets the probe's lines.
 */
async function startImportWorker(env: Record<string, string>, onPhase: (line: ProbeLine) => void): Promise<ChildProcess> {
  buildServerBundle();
  const probe = new URL('./import-probe.mjs', import.meta.url).href;
  // BENCH_IMPORT_PROFILE=<dir>: V8 CPU profile of the worker's main thread (decoding, CSV parsing, COPY),
  // written when it stops; its import threads are terminated, which writes none.
  const profile = cpuProfileFlags(process.env.BENCH_IMPORT_PROFILE);
  const child = spawnBundle('worker-main.mjs', { args: ['imports'], nodeArgs: [...profile, '--import', probe], env: { ...env, LOG_LEVEL: 'info' }, stdout: 'pipe' });
  const running = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the import worker exited with code ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let msg: Partial<ProbeLine> & { msg?: string; level?: number };
      try {
        msg = JSON.parse(line);
      } catch {
        return log(`worker: ${line}`);
      }
      if (msg.importPhase) onPhase(msg as ProbeLine);
      else if (msg.msg === 'workers running') resolve();
      else if ((msg.level ?? 0) >= 40) log(`worker: ${line}`);
    });
  });
  await running;
  return child;
}

async function main() {
  const dbName = `passerelle_bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${dbName}`;
  const databaseUrl = dbUrl.toString();
  const dataDir = path.join(os.tmpdir(), dbName);
  const file = path.join(os.tmpdir(), `${dbName}.csv`);
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  let worker: ChildProcess | undefined;
  try {
    await migrateToLatest(databaseUrl);
    log(`generating ${ROWS} rows (Windows-1252, ';')`);
    const { invalid, duplicates } = await generate(file);
    log(`file: ${(statSync(file).size / 1024 / 1024).toFixed(1)} MB, ${invalid} invalid, ${duplicates} duplicates`);

    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_PREFIX: `bench${randomBytes(4).toString('hex')}`,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      MASTER_KEY: randomBytes(32).toString('hex'),
      LOOKUP_HMAC_KEY: randomBytes(32).toString('hex'),
      SIP_AUTH_SECRET: randomBytes(16).toString('hex'),
      SIP_API_KEY: randomBytes(16).toString('hex'),
      DATA_DIR: dataDir,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      SERVE_CONSOLES: 'false',
      RUN_WORKERS: 'false',
      UPLOAD_MAX_MB: '500',
      PORT: '0',
    };
    // This process serves the API (upload, mapping, status); the import runs in the worker process.
    app = await buildApp(loadConfig(env));
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const partner = await app.db.insertInto('partners').values({ name: 'Partenaire bench' }).returning('id').executeTakeFirstOrThrow();
    const campaign = await app.db
      .insertInto('campaigns')
      .values({ partnerId: partner.id, name: 'Bench', type: 'after_sales', defaultRegion: 'GP', maskingPolicy: JSON.stringify(defaultMaskingPolicy), retentionDays: 30, legalBasisRequired: false })
      .returning('id')
      .executeTakeFirstOrThrow();
    const apiKey = `pk_${randomToken(32)}`;
    await app.db.insertInto('partnerApiKeys').values({ partnerId: partner.id, name: 'bench', prefix: apiKey.slice(0, 10), keyHash: sha256Hex(apiKey) }).execute();

    // Per phase: wall time (from the job), the worker's CPU and the database's CPU since the previous phase ended.
    const phases: Record<string, { s: number; cpu_s: number; pg_cpu_s: number; peak_rss_mb?: number }> = {};
    const round = (n: number) => Number(n.toFixed(2));
    const mb = (n: number) => Math.round(n / 1048576);
    const pgCpu = postgresCpu(admin, dbName);
    let pgMark = 0;
    let workerCpuMark = 0;
    let atPeak: NodeJS.MemoryUsage | undefined;
    let endedAt = 0;
    let swapped: () => void = () => undefined;
    const swapDone = new Promise<void>((resolve) => (swapped = resolve));
    log('starting the import worker (production bundle, as the compose worker)');
    worker = await startImportWorker(env, ({ importPhase: { phase, ms }, cpuSeconds: cpu, phasePeakRss, peak }) => {
      atPeak = peak;
      // swap_insert is inside swap: its CPU goes to swap.
      if (phase === 'swap_insert') return void (phases[phase] = { s: round(ms / 1000), cpu_s: 0, pg_cpu_s: 0 });
      const pg = pgCpu.total();
      phases[phase] = { s: round(ms / 1000), cpu_s: round(cpu - workerCpuMark), pg_cpu_s: round(pg - pgMark), peak_rss_mb: mb(phasePeakRss) };
      workerCpuMark = cpu;
      pgMark = pg;
      if (phase === 'swap') {
        endedAt = performance.now();
        swapped();
      }
    });
    const workerPid = worker.pid!;
    const baseRss = rssMb(workerPid);
    workerCpuMark = cpuSeconds(workerPid);
    const workerCpuBefore = workerCpuMark;

    log('end-to-end import: upload → mapping → job → swap');
    const loadBefore = os.loadavg()[0]!;
    await pgCpu.sample();
    pgMark = pgCpu.total();
    const pgBefore = pgMark;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const pgSampler = setInterval(() => void pgCpu.sample().catch(() => undefined), 250);
    const uploaded = await uploadFile(`${base}/api/campaigns/${campaign.id}/imports`, apiKey, file);
    const uploadedAt = performance.now();
    await pgCpu.sample();
    const uploadCpu = process.cpuUsage(cpuBefore);
    phases.upload = { s: round((uploadedAt - started) / 1000), cpu_s: round((uploadCpu.user + uploadCpu.system) / 1e6), pg_cpu_s: round(pgCpu.total() - pgMark) };
    pgMark = pgCpu.total();
    await api(`${base}/api/imports/${uploaded.id}/mapping`, apiKey, 'POST', { mapping: uploaded.suggestedMapping, acceptValidSubset: true });
    let view: ImportView;
    for (;;) {
      // Polled slowly (a poll costs CPU); the swap's phase line ends the wait at once.
      view = await api<ImportView>(`${base}/api/imports/${uploaded.id}`, apiKey, 'GET');
      if (!['queued', 'processing', 'committing'].includes(view.status)) break;
      if (worker.exitCode !== null) throw new Error(`the import worker exited (code ${worker.exitCode}) with the import ${view.status}`);
      await Promise.race([swapDone, new Promise((r) => setTimeout(r, 2_000))]);
    }
    const seconds = ((endedAt || performance.now()) - started) / 1000;
    clearInterval(pgSampler);
    await pgCpu.sample();
    const apiCpu = process.cpuUsage(cpuBefore);
    const apiSeconds = (apiCpu.user + apiCpu.system) / 1e6;
    const workerSeconds = cpuSeconds(workerPid) - workerCpuBefore;
    const cpuSecondsTotal = apiSeconds + workerSeconds;
    const pgSeconds = pgCpu.total() - pgBefore;
    const peakRssMb = rssMb(workerPid, 'VmHWM');
    if (view.status !== 'completed') throw new Error(`import ended ${view.status}: ${JSON.stringify(view.error)}`);
    log(`upload ${((uploadedAt - started) / 1000).toFixed(1)} s, total ${seconds.toFixed(1)} s; counts ${JSON.stringify(view.counts)} reasons ${JSON.stringify(view.reasons)}`);
    log(`  ${'phase'.padEnd(20)} ${'wall s'.padStart(8)} ${'CPU s'.padStart(8)} ${'PG CPU s'.padStart(9)} ${'peak RSS MB'.padStart(12)}`);
    for (const [phase, t] of Object.entries(phases)) {
      log(`  ${phase.padEnd(20)} ${t.s.toFixed(2).padStart(8)} ${t.cpu_s.toFixed(2).padStart(8)} ${t.pg_cpu_s.toFixed(2).padStart(9)} ${String(t.peak_rss_mb ?? '').padStart(12)}`);
    }
    log('  (upload: this process, the API; the other phases: the worker process)');
    log(`  RSS of the worker process (job, worker threads): ${Math.round(baseRss)} MB before the import, ${Math.round(peakRssMb)} MB peak`);
    if (atPeak) log(`  at the peak, its main thread: heap ${mb(atPeak.heapUsed)}/${mb(atPeak.heapTotal)} MB, external ${mb(atPeak.external)} MB (array buffers ${mb(atPeak.arrayBuffers)} MB)`);
    log(`  CPU: ${workerSeconds.toFixed(1)} s worker + ${apiSeconds.toFixed(1)} s API and upload client + ${pgSeconds.toFixed(1)} s PostgreSQL; load average ${loadBefore.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)}`);
    const rowsPerS = ROWS / seconds;

    log('raw COPY baseline');
    const copyRowsPerS = await rawCopy(databaseUrl, file);
    const result = {
      bench: 'import',
      rows: ROWS,
      rows_per_s: Math.round(rowsPerS),
      copy_rows_per_s: Math.round(copyRowsPerS),
      ratio: Number((rowsPerS / copyRowsPerS).toFixed(3)),
      peak_rss_mb: Math.round(peakRssMb),
      imported: view.counts.imported,
      rejected: view.counts.rejected,
      seconds: Number(seconds.toFixed(1)),
      // CPU time of the worker and API processes (all threads) and of the database's backends: comparable on a busy machine.
      cpu_seconds: Number(cpuSecondsTotal.toFixed(1)),
      rows_per_cpu_s: Math.round(ROWS / cpuSecondsTotal),
      pg_cpu_seconds: Number(pgSeconds.toFixed(1)),
      rows_per_total_cpu_s: Math.round(ROWS / (cpuSecondsTotal + pgSeconds)),
      load_avg: Number(os.loadavg()[0]!.toFixed(1)),
      phases,
    };
    console.log(JSON.stringify(result));
  } finally {
    await stopProcess(worker, process.env.BENCH_IMPORT_PROFILE ? 60_000 : 10_000);
    await app?.close();
    await rm(file, { force: true });
    await rm(dataDir, { recursive: true, force: true });
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}

await main();
