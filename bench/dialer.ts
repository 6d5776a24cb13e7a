/** Dialer: simulated trainees on a 1M-contact campaign; Ready→offer p50/p99, offers/s, supervisor fan-out p99, server RSS. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createServer } from 'node:net';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { defaultMaskingPolicy, maskedCard } from '@passerelle/shared/masking';
import type { FloorBatch, OfferPayload } from '@passerelle/shared/events';
import { loadConfig } from '../server/src/config.ts';
import { createDb } from '../server/src/db/database.ts';
import { migrateToLatest } from '../server/src/db/migrate.ts';
import { randomToken, sha256Hex } from '../server/src/lib/tokens.ts';
import { Vault } from '../server/src/modules/vault/vault.ts';
import type { DialerDb } from '../server/src/modules/dialer/tables.ts';
import { connectAs, wednesdayOffsetMin, type AgentClient, type SupervisorClient } from '../server/test/dialer-fixtures.ts';

const AGENTS = Number(process.env.BENCH_DIALER_AGENTS ?? 200);
const CONTACTS = Number(process.env.BENCH_DIALER_CONTACTS ?? 1_000_000);
const SUPERVISORS = Number(process.env.BENCH_DIALER_SUPERVISORS ?? 20);
const MEASURE_S = Number(process.env.BENCH_DIALER_SECONDS ?? 30);
const WARMUP_S = Number(process.env.BENCH_DIALER_WARMUP_SECONDS ?? 5);
const adminUrl = process.env.BENCH_PG_ADMIN_URL ?? process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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

/** CPU seconds (user + system) a process used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
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
    const insertS = (performance.now() - t0) / 1000;
    log(`inserted in ${insertS.toFixed(1)} s; analyzing`);
    await db.destroy();
    const c2 = new pg.Client({ connectionString: databaseUrl });
    await c2.connect();
    await c2.query('vacuum analyze contacts_dialing');
    await c2.end();

    const port = await freePort();
    log('starting the server process');
    // BENCH_DIALER_PROFILE=<dir>: V8 CPU profile of the server, written when it stops.
    const profile = process.env.BENCH_DIALER_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_DIALER_PROFILE}`] : [];
    server = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(root, 'server/src/main.ts')], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port) },
    });
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
      } catch {
        /* starting */
      }
      if (i > 600) throw new Error('server did not start');
      await sleep(100);
    }
    const base = `http://127.0.0.1:${port}`;

    let measuring = false;
    const offerLatencies: number[] = [];
    const fanout: number[] = [];
    let offers = 0;
    for (const sup of users.filter((u) => u.role === 'trainer')) {
      const s = connectAs<SupervisorClient>(base, '/supervisor', cookies.get(sup.id)!);
      sockets.push(s);
      s.on('floor:batch', (batch: FloorBatch) => {
        if (!measuring) return;
        for (const state of batch.agents) fanout.push(Date.now() - Date.parse(state.since));
      });
    }
    log(`${SUPERVISORS} supervisors connected; connecting ${AGENTS} trainees`);
    for (const a of agents) {
      const s = connectAs<AgentClient>(base, '/agent', cookies.get(a.id)!);
      sockets.push(s);
      let readyAt = 0;
      const ready = () => {
        readyAt = performance.now();
        s.emit('ready', () => undefined);
      };
      s.on('snapshot', () => ready());
      s.on('offer', (offer: OfferPayload) => {
        if (measuring && readyAt) {
          offerLatencies.push(performance.now() - readyAt);
          offers++;
        }
        readyAt = 0;
        // Hand the offer back (pause) and turn Ready again: each cycle is one full assignment.
        s.emit('pause', { reason: 'pause' }, () => ready());
        void offer;
      });
      const beat = setInterval(() => s.emit('heartbeat'), 5000);
      sockets.push({ disconnect: () => clearInterval(beat) });
    }
    log(`warm-up ${WARMUP_S} s`);
    await sleep(WARMUP_S * 1000);
    measuring = true;
    const started = performance.now();
    const cpuStart = cpuSeconds(server.pid!);
    let rssPeak = 0;
    const rssTimer = setInterval(() => {
      rssPeak = Math.max(rssPeak, rssMb(server!.pid!));
    }, 500);
    await sleep(MEASURE_S * 1000);
    measuring = false;
    clearInterval(rssTimer);
    const seconds = (performance.now() - started) / 1000;
    const serverCpu = cpuSeconds(server.pid!) - cpuStart;
    const result = {
      bench: 'dialer',
      agents: AGENTS,
      contacts: CONTACTS,
      supervisors: SUPERVISORS,
      offer_p50_ms: Number(quantile(offerLatencies, 0.5).toFixed(1)),
      offer_p99_ms: Number(quantile(offerLatencies, 0.99).toFixed(1)),
      offers_per_s: Math.round(offers / seconds),
      fanout_p99_ms: Number(quantile(fanout, 0.99).toFixed(1)),
      fanout_events: fanout.length,
      rss_mb: Math.round(rssPeak),
      insert_s: Number(insertS.toFixed(1)),
      // The server's CPU time per offer cycle: comparable across runs on a busy machine.
      server_cpu_ms_per_offer: offers ? Number(((serverCpu * 1000) / offers).toFixed(1)) : null,
      server_cpu_util: Number((serverCpu / seconds).toFixed(2)),
      seconds: Number(seconds.toFixed(1)),
      load_avg: Number(os.loadavg()[0]!.toFixed(1)),
    };
    console.log(JSON.stringify(result));
  } finally {
    for (const s of sockets) s.disconnect();
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      server.kill('SIGKILL');
    }
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}

await main();
process.exit(0);
