/**
 * Dialer: simulated trainees on a 1M-contact campaign; Ready→offer p50/p99, offers/s, supervisor fan-out p99, server RSS.
 *
 * Two phases, because a latency target means nothing in a saturated system:
 * 1. capacity — a closed loop: every console (socket.io client) turns Ready again as soon as it
 *    handed its offer back, so the server is saturated. Gives offers/s and the server's CPU ms per
 *    offer (comparable on a busy machine). The Ready→offer time measured there is only queueing
 *    (consoles ÷ throughput) and is reported as `capacity_queue_p50_ms`, not as the latency.
 * 2. latency — an open loop: each console turns Ready on its own jittered schedule, every
 *    BENCH_DIALER_READY_EVERY_S (default 4–10 s, i.e. ≈ 29 Ready/s for 200 consoles: real calls
 *    last minutes, so this is far above a real floor), whatever the server answers. Ready→offer
 *    p50/p99 and the supervisors' fan-out p99 (agent state `since` → `floor:batch` received) are
 *    measured here.
 * The last line keeps the issue's keys (offer_* and fanout_p99_ms from the latency phase,
 * offers_per_s from the capacity phase, rss_mb the peak over both) plus the rate, CPU per offer
 * and the load average.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createServer } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { defaultMaskingPolicy, maskedCard } from '@passerelle/shared/masking';
import type { AckResult, FloorBatch } from '@passerelle/shared/events';
import { loadConfig } from '../server/src/config.ts';
import { createDb } from '../server/src/db/database.ts';
import { migrateToLatest } from '../server/src/db/migrate.ts';
import { randomToken, sha256Hex } from '../server/src/lib/tokens.ts';
import { Vault } from '../server/src/modules/vault/vault.ts';
import { dialingRowsFrom } from '../server/src/modules/contacts/store.ts';
import type { DialerDb } from '../server/src/modules/dialer/tables.ts';
import { connectAs, wednesdayOffsetMin, type AgentClient, type SupervisorClient } from '../server/test/dialer-fixtures.ts';
import { buildServerBundle, cpuProfileFlags, cpuSeconds, rssMb, startNodeFlags, startServerProcess, stopProcess } from './deployed.ts';

const AGENTS = Number(process.env.BENCH_DIALER_AGENTS ?? 200);
const CONTACTS = Number(process.env.BENCH_DIALER_CONTACTS ?? 1_000_000);
const SUPERVISORS = Number(process.env.BENCH_DIALER_SUPERVISORS ?? 20);
const CAPACITY_S = Number(process.env.BENCH_DIALER_CAPACITY_SECONDS ?? 20);
const LATENCY_S = Number(process.env.BENCH_DIALER_LATENCY_SECONDS ?? 30);
const WARMUP_S = Number(process.env.BENCH_DIALER_WARMUP_SECONDS ?? 5);
const [READY_MIN_S, READY_MAX_S] = (process.env.BENCH_DIALER_READY_EVERY_S ?? '4-10').split('-').map(Number) as [number, number];
const adminUrl = process.env.BENCH_PG_ADMIN_URL ?? process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const log = (msg: string) => process.stderr.write(`[bench dialer] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quantile = (xs: number[], q: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolve(p));
    });
  });

/** Contacts in the real table shapes and vault format (AES-256-GCM blobs, HMAC, masked card), by COPY. */
async function insertContacts(databaseUrl: string, vault: Vault, campaignId: string, partnerId: string) {
  const key = await vault.keyFor(campaignId);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const hex = (b: Buffer) => `\\\\x${b.toString('hex')}`;
  const CHUNK = 100_000;
  try {
    for (let start = 0; start < CONTACTS; start += CHUNK) {
      const end = Math.min(CONTACTS, start + CHUNK);
      function* rows() {
        for (let i = start; i < end; i++) {
          // Fictitious Guadeloupe mobiles, +590 690 0x xx xx xx.
          const phone = `+5906900${String(i).padStart(5, '0')}`;
          const pii = { firstName: `Prénom${i % 997}`, lastName: `Nom${i % 991}`, city: 'Baie-Mahault', postalCode: '97122' };
          const masked = JSON.stringify(maskedCard({ ...pii, phone }, defaultMaskingPolicy)).replace(/\\/g, '\\\\');
          yield `${campaignId}\t${partnerId}\t${vault.phoneHmac(phone)}\t${hex(vault.encryptJson(key, [phone]))}\t${hex(vault.encryptJson(key, pii))}\tGP\tAmerica/Guadeloupe\tcontract\t${masked}\n`;
        }
      }
      await pipeline(
        Readable.from(rows()),
        client.query(copyFrom('copy contacts (campaign_id, partner_id, phone_hmac, phones_cipher, pii_cipher, territory, time_zone, legal_basis, masked) from stdin')),
      );
    }
  } finally {
    await client.end();
  }
}

/** One value of the server's Prometheus metrics (prom-client defaults), or NaN. */
async function serverMetrics(base: string) {
  const text = await (await fetch(`${base}/metrics`)).text();
  return (name: string, labels = '') => {
    const m = new RegExp(`^passerelle_${name}(?:\\{${labels}[^}]*\\})? (\\S+)$`, 'm').exec(text);
    return m ? Number(m[1]) : NaN;
  };
}

/** The server's own view of its memory, in MB. */
async function serverMemory(base: string) {
  const metric = await serverMetrics(base);
  const mb = (name: string) => Math.round(metric(name) / 1048576);
  return { heap_used_mb: mb('nodejs_heap_size_used_bytes'), heap_total_mb: mb('nodejs_heap_size_total_bytes'), external_mb: mb('nodejs_external_memory_bytes') };
}

async function main() {
  const dbName = `passerelle_bench_dialer_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  let server: ChildProcess | undefined;
  const sockets: { disconnect(): void }[] = [];
  const offset = wednesdayOffsetMin();
  try {
    log(`migrating ${dbName}`);
    await migrateToLatest(databaseUrl);
    const env = {
      NODE_ENV: 'test', // the rules clock is shifted to a weekday window (refused in production)
      DATABASE_URL: databaseUrl,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_PREFIX: `bench${randomBytes(4).toString('hex')}`,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      MASTER_KEY: randomBytes(32).toString('hex'),
      LOOKUP_HMAC_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      SERVE_CONSOLES: 'false',
      RUN_WORKERS: 'true',
      DIALER_RULES_CLOCK_OFFSET_MIN: String(offset),
    };
    const config = loadConfig(env);
    const db = createDb(databaseUrl, { max: 4 });
    const vault = new Vault(db, config);

    const site = await db.insertInto('sites').values({ name: 'Bench', timeZone: 'America/Guadeloupe' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('workstations').values({ siteId: site.id, name: 'Bench', ipRanges: ['127.0.0.0/8'] }).execute();
    const partner = await db.insertInto('partners').values({ name: 'Partenaire bench' }).returning('id').executeTakeFirstOrThrow();
    const users = await db
      .insertInto('users')
      .values([
        ...Array.from({ length: AGENTS }, (_, i) => ({ username: `agent${i}@bench`, displayName: `Conseiller ${i}`, role: 'trainee' as const, siteId: site.id, passwordHash: 'unused' })),
        ...Array.from({ length: SUPERVISORS }, (_, i) => ({ username: `sup${i}@bench`, displayName: `Formateur ${i}`, role: 'trainer' as const, passwordHash: 'unused' })),
      ])
      .returning(['id', 'role'])
      .execute();
    // Sessions as the login endpoint creates them (hashed token, CSRF, seat address).
    const cookies = new Map<string, string>();
    await db
      .insertInto('sessions')
      .values(
        users.map((u) => {
          const token = randomToken();
          cookies.set(u.id, `psid=${token}`);
          return { id: sha256Hex(token), userId: u.id, csrfToken: randomToken(24), ip: '127.0.0.1', userAgent: 'bench', lastSeenAt: new Date(), expiresAt: new Date(Date.now() + 3600_000) };
        }),
      )
      .execute();
    const campaign = await (db as unknown as DialerDb)
      .insertInto('campaigns')
      .values({
        partnerId: partner.id,
        name: 'Bench dialer',
        type: 'appointment',
        status: 'running',
        defaultRegion: 'GP',
        maskingPolicy: JSON.stringify(defaultMaskingPolicy),
        retentionDays: 30,
        legalBasisRequired: true,
        callerId: '+590947500000',
        startsOn: null,
        endsOn: null,
        windows: null,
        retryRules: null,
        requiredLanguage: null,
        script: null,
        dispositions: null,
        createdBy: null,
        endedAt: null,
        purgedAt: null,
        purgeCounts: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const agents = users.filter((u) => u.role === 'trainee');
    await db.insertInto('campaignAgents').values(agents.map((a) => ({ campaignId: campaign.id, userId: a.id }))).execute();

    log(`inserting ${CONTACTS} contacts (vault format, COPY)`);
    const t0 = performance.now();
    await insertContacts(databaseUrl, vault, campaign.id, partner.id);
    await sql`with ${dialingRowsFrom('contacts')} select 1`.execute(db);
    const insertS = (performance.now() - t0) / 1000;
    log(`inserted in ${insertS.toFixed(1)} s; vacuuming and checkpointing`);
    await db.destroy();
    const c2 = new pg.Client({ connectionString: databaseUrl });
    await c2.connect();
    // The load's own aftermath (autovacuum of the new tables, the checkpoint its WAL triggered)
    // would otherwise run during the measurement: a steady state is measured, not the load.
    await c2.query('vacuum analyze');
    await c2.query('checkpoint');
    await c2.end();

    const port = await freePort();
    log(`building and starting the server process (production bundle, as npm start: ${startNodeFlags().join(' ')})`);
    buildServerBundle();
    // BENCH_DIALER_PROFILE=<dir>: V8 CPU profile of the server, written when it stops.
    const profile = cpuProfileFlags(process.env.BENCH_DIALER_PROFILE);
    server = await startServerProcess({ env, port, nodeArgs: profile });
    const base = `http://127.0.0.1:${port}`;

    // serverOffer: Ready → Offered as the server stamped both states (`since`), read from the first
    // supervisor's feed: the server's share of the latency, without this process's own delays.
    const sup = { fanout: [] as number[], serverOffer: [] as number[], measuring: false };
    const readySince = new Map<string, number>();
    for (const [i, u] of users.filter((x) => x.role === 'trainer').entries()) {
      const s = connectAs<SupervisorClient>(base, '/supervisor', cookies.get(u.id)!);
      sockets.push(s);
      s.on('floor:batch', (batch: FloorBatch) => {
        if (!sup.measuring) return;
        const now = Date.now();
        for (const state of batch.agents) {
          const since = Date.parse(state.since);
          sup.fanout.push(now - since);
          if (i !== 0) continue;
          if (state.status === 'ready') readySince.set(state.userId, since);
          const readyAt = readySince.get(state.userId);
          if (state.status === 'offered' && readyAt !== undefined) {
            sup.serverOffer.push(since - readyAt);
            readySince.delete(state.userId);
          }
        }
      });
    }
    log(`${SUPERVISORS} supervisors connected; connecting ${AGENTS} trainees`);
    // Each simulated console: Ready → offer → hands the offer back (pause). `next` decides when it
    // turns Ready again: at once (capacity phase) or at its own paced time (latency phase).
    const run = { mode: 'closed' as 'closed' | 'paced' | 'stopped', measuring: false, latencies: [] as number[], offers: 0, missed: 0 };
    const consoles: { ready(): void; state: 'idle' | 'waiting' | 'handing' }[] = [];
    const ready: Promise<void>[] = [];
    let refused = 0;
    for (const a of agents) {
      const s = connectAs<AgentClient>(base, '/agent', cookies.get(a.id)!);
      sockets.push(s);
      let readyAt = 0;
      const c = {
        state: 'idle' as 'idle' | 'waiting' | 'handing',
        ready() {
          c.state = 'waiting';
          readyAt = performance.now();
          s.emit('ready', (r: AckResult) => {
            if (r.ok) return;
            refused++;
            c.state = 'idle';
            if (run.mode === 'closed') setTimeout(() => c.ready(), 100);
          });
        },
      };
      consoles.push(c);
      ready.push(new Promise((r) => s.once('snapshot', () => r())));
      s.on('offer', () => {
        if (run.measuring && c.state === 'waiting') {
          run.latencies.push(performance.now() - readyAt);
          run.offers++;
        }
        c.state = 'handing';
        s.emit('pause', { reason: 'pause' }, () => {
          c.state = 'idle';
          if (run.mode === 'closed') c.ready();
        });
      });
      const beat = setInterval(() => s.emit('heartbeat'), 5000);
      sockets.push({ disconnect: () => clearInterval(beat) });
    }
    await Promise.all(ready);

    let rssPeak = 0;
    const rssTimer = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(server!.pid!))), 500);
    const measure = async (seconds: number) => {
      run.latencies = [];
      run.offers = 0;
      run.missed = 0;
      sup.fanout = [];
      sup.serverOffer = [];
      readySince.clear();
      run.measuring = sup.measuring = true;
      // A scrape resets the server's event-loop histogram; its major GC time is cumulative.
      const gc0 = (await serverMetrics(base))('nodejs_gc_duration_seconds_sum', 'kind="major"');
      const t0 = performance.now();
      const cpu0 = cpuSeconds(server!.pid!);
      const loop = monitorEventLoopDelay({ resolution: 5 });
      loop.enable();
      await sleep(seconds * 1000);
      loop.disable();
      run.measuring = sup.measuring = false;
      const wall = (performance.now() - t0) / 1000;
      const cpu = cpuSeconds(server!.pid!) - cpu0;
      const after = await serverMetrics(base);
      return {
        seconds: wall,
        offers: run.offers,
        missed: run.missed,
        p50: quantile(run.latencies, 0.5),
        p99: quantile(run.latencies, 0.99),
        fanoutP99: quantile(sup.fanout, 0.99),
        fanoutEvents: sup.fanout.length,
        serverP50: quantile(sup.serverOffer, 0.5),
        serverP99: quantile(sup.serverOffer, 0.99),
        loopP99: loop.percentile(99) / 1e6,
        serverLoopP99: after('nodejs_eventloop_lag_p99_seconds') * 1000,
        serverLoopMax: after('nodejs_eventloop_lag_max_seconds') * 1000,
        serverMajorGcMs: (after('nodejs_gc_duration_seconds_sum', 'kind="major"') - gc0) * 1000,
        cpuMsPerOffer: run.offers ? (cpu * 1000) / run.offers : NaN,
        cpuUtil: cpu / wall,
      };
    };
    const fmt = (x: number) => Number(x.toFixed(1));

    // Phase 1, capacity: a saturating closed loop (every console turns Ready again as soon as it
    // handed its offer back). Its offers/s and CPU per offer are the server's capacity; its
    // "latency" is only the queue (consoles / throughput) and is reported as such.
    log(`capacity phase: closed loop, warm-up ${WARMUP_S} s, then ${CAPACITY_S} s`);
    for (const c of consoles) c.ready();
    await sleep(WARMUP_S * 1000);
    const capacity = await measure(CAPACITY_S);
    log(
      `capacity: ${Math.round(capacity.offers / capacity.seconds)} offers/s, server CPU ${fmt(capacity.cpuMsPerOffer)} ms/offer (util ${capacity.cpuUtil.toFixed(2)}), ` +
        `queueing latency p50 ${fmt(capacity.p50)} ms p99 ${fmt(capacity.p99)} ms, fan-out p99 ${fmt(capacity.fanoutP99)} ms, load ${os.loadavg()[0]!.toFixed(1)}`,
    );
    run.mode = 'stopped';
    for (let i = 0; i < 100 && consoles.some((c) => c.state !== 'idle'); i++) await sleep(100);
    await sleep(1000);

    // Phase 2, latency: open loop. Each console turns Ready on its own schedule, every
    // READY_MIN_S..READY_MAX_S (uniform jitter), whatever the server answers; a console still
    // waiting for its previous offer at its next time skips it (counted as missed).
    const meanEvery = (READY_MIN_S + READY_MAX_S) / 2;
    const rate = AGENTS / meanEvery;
    log(`latency phase: open loop, each console Ready every ${READY_MIN_S}–${READY_MAX_S} s (≈ ${rate.toFixed(1)} Ready/s), ${LATENCY_S} s`);
    run.mode = 'paced';
    const timers: NodeJS.Timeout[] = [];
    consoles.forEach((c, i) => {
      const tick = () => {
        if (run.mode !== 'paced') return;
        if (c.state !== 'idle') run.missed++;
        else c.ready();
        timers[i] = setTimeout(tick, (READY_MIN_S + Math.random() * (READY_MAX_S - READY_MIN_S)) * 1000);
      };
      // Spread the first Ready over one period.
      timers[i] = setTimeout(tick, Math.random() * meanEvery * 1000);
    });
    await sleep(meanEvery * 1000);
    const latency = await measure(LATENCY_S);
    run.mode = 'stopped';
    for (const t of timers) clearTimeout(t);
    clearInterval(rssTimer);
    log(
      `latency: Ready→offer p50 ${fmt(latency.p50)} ms p99 ${fmt(latency.p99)} ms over ${latency.offers} offers (${latency.missed} Ready skipped; ` +
        `as stamped by the server p50 ${fmt(latency.serverP50)} ms p99 ${fmt(latency.serverP99)} ms; this process's event-loop delay p99 ${fmt(latency.loopP99)} ms; ` +
        `the server's event-loop delay p99 ${fmt(latency.serverLoopP99)} ms, max ${fmt(latency.serverLoopMax)} ms, major GC ${fmt(latency.serverMajorGcMs)} ms), ` +
        `fan-out p99 ${fmt(latency.fanoutP99)} ms over ${latency.fanoutEvents} agent states, server CPU ${fmt(latency.cpuMsPerOffer)} ms/offer (util ${latency.cpuUtil.toFixed(2)})`,
    );
    const memory = await serverMemory(base);
    log(`server memory at the end: ${JSON.stringify(memory)}; Ready refused ${refused} times`);
    const result = {
      bench: 'dialer',
      agents: AGENTS,
      contacts: CONTACTS,
      supervisors: SUPERVISORS,
      // Latency phase (open loop at ready_per_s).
      offer_p50_ms: fmt(latency.p50),
      offer_p99_ms: fmt(latency.p99),
      offer_server_p50_ms: fmt(latency.serverP50),
      offer_server_p99_ms: fmt(latency.serverP99),
      bench_loop_delay_p99_ms: fmt(latency.loopP99),
      server_loop_delay_p99_ms: fmt(latency.serverLoopP99),
      server_loop_delay_max_ms: fmt(latency.serverLoopMax),
      server_major_gc_ms: fmt(latency.serverMajorGcMs),
      fanout_p99_ms: fmt(latency.fanoutP99),
      ready_per_s: fmt(rate),
      ready_every_s: `${READY_MIN_S}-${READY_MAX_S}`,
      latency_offers: latency.offers,
      latency_cpu_ms_per_offer: fmt(latency.cpuMsPerOffer),
      // Capacity phase (saturating closed loop).
      offers_per_s: Math.round(capacity.offers / capacity.seconds),
      server_cpu_ms_per_offer: fmt(capacity.cpuMsPerOffer),
      server_cpu_util: Number(capacity.cpuUtil.toFixed(2)),
      capacity_queue_p50_ms: fmt(capacity.p50),
      capacity_fanout_p99_ms: fmt(capacity.fanoutP99),
      rss_mb: Math.round(rssPeak),
      ...memory,
      insert_s: Number(insertS.toFixed(1)),
      load_avg: Number(os.loadavg()[0]!.toFixed(1)),
    };
    console.log(JSON.stringify(result));
  } finally {
    for (const s of sockets) s.disconnect();
    await stopProcess(server, process.env.BENCH_DIALER_PROFILE ? 60_000 : 10_000);
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}

await main();
process.exit(0);
