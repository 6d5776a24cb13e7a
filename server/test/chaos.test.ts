import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect as connectTcp, createServer, type Socket } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { AgentSnapshot, OfferPayload } from '@passerelle/shared/events';
import type { DispositionInput } from '@passerelle/shared/api/campaign-engine';
import { startTestApp, type TestContext } from './app.ts';
import { login, seedFixture, type Fixture } from './fixtures.ts';
import { resolveCallToken } from '../src/modules/dialer/call-tokens.ts';
import { callProgress } from '../src/modules/calls/progress.ts';
import { addTrainees, connectAs, seedRunningCampaign, wednesdayOffsetMin, type AgentClient, type SeededCampaign } from './dialer-fixtures.ts';

/**
 * Chaos: 20 simulated trainees work a 10,000-contact campaign on server child processes that are
 * killed with SIGKILL at random moments and replaced. Telephony is simulated in this process
 * (token resolution and call progress, through the real contract functions). Afterwards every
 * contact must be in exactly one consistent state, with no overlapping attempts and none lost.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CONTACTS = 10_000;
const TRAINEES = 20;
const CHAOS_MS = 35_000;

let ctx: TestContext;
let fx: Fixture;
let campaign: SeededCampaign;
const children: ChildProcess[] = [];
let port = 0;
const offset = wednesdayOffsetMin();

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolve(p));
    });
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Child {
  proc: ChildProcess;
  port: number;
  ready: Promise<void>;
}


/** A server process (API, realtime and workers) on its own port, sharing Postgres and Redis. */
async function startChild(): Promise<Child> {
  const c = ctx.config;
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/src/main.ts')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: ctx.databaseUrl,
      REDIS_URL: c.REDIS_URL,
      REDIS_PREFIX: c.REDIS_PREFIX,
      SESSION_SECRET: c.SESSION_SECRET,
      MASTER_KEY: c.MASTER_KEY,
      LOOKUP_HMAC_KEY: c.LOOKUP_HMAC_KEY,
      LOG_LEVEL: 'silent',
      SERVE_CONSOLES: 'false',
      RUN_WORKERS: 'true',
      DATA_DIR: c.DATA_DIR,
      DIALER_TICK_MS: '300',
      DIALER_HEARTBEAT_TIMEOUT_S: '5',
      DIALER_RULES_CLOCK_OFFSET_MIN: String(offset),
      LOGIN_RATE_PER_MIN: '10000',
    },
  });
  children.push(proc);
  const ready = (async () => {
    for (let i = 0; i < 600; i++) {
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error('server child died while starting');
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
      } catch {
        /* not listening yet */
      }
      await sleep(100);
    }
    throw new Error('server child did not start');
  })();
  ready.catch(() => undefined); // spares are killed while warming up: not an error
  return { proc, port, ready };
}

function kill(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill('SIGKILL');
  });
}

/**
 * The address trainees connect to (a load balancer): forwards to the live server; when that
 * one is killed its connections drop and the consoles reconnect to the next one. Starting a
 * server takes seconds on a loaded machine, so the next one warms up while the current works.
 */
function balancer() {
  let target = 0;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connectTcp(target, '127.0.0.1');
    open.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  return {
    listen: () => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port))),
    switchTo: (port: number) => {
      target = port;
    },
    close: () => {
      for (const s of open) s.destroy();
      server.close();
    },
  };
}

/** A trainee console: Ready, take offers, "dial", qualify; recovers from every reconnect by its snapshot. */
function simulate(userId: string, cookie: string, stats: { dialled: number; disposed: number }) {
  const socket = connectAs<AgentClient>(`http://127.0.0.1:${port}`, '/agent', cookie);
  const seen = new Set<string>();
  const pick = <T,>(items: T[]) => items[Math.floor(Math.random() * items.length)]!;
  const dispose = (attemptId: string) => {
    const code = pick(['wrong_number', 'no_answer', 'no_answer', 'not_interested', 'busy', 'callback', 'voicemail'] as const);
    const disposition: DispositionInput = code === 'callback' ? { code, at: new Date(Date.now() + 3600_000).toISOString(), reservedToMe: Math.random() < 0.5 } : { code };
    socket.timeout(3000).emit('disposition', { attemptId, disposition }, (err: Error | null, r?: { ok: boolean }) => {
      if (!err && r?.ok) stats.disposed++;
    });
  };
  const onOffer = async (offer: OfferPayload) => {
    if (seen.has(offer.attemptId)) return;
    seen.add(offer.attemptId);
    await sleep(Math.random() * 40);
    if (Math.random() < 0.05) return void socket.emit('offer:skip', { attemptId: offer.attemptId, reason: 'chaos' }, () => undefined);
    if (Math.random() < 0.02) return; // never dialled: the offer must expire and come back
    const r = await resolveCallToken(ctx.app, { token: offer.token, agentUserId: userId });
    if (!r.ok) return;
    stats.dialled++;
    const progress = callProgress(ctx.app);
    const answered = Math.random() < 0.5;
    if (answered) await progress.report({ attemptId: offer.attemptId, event: 'answered', at: new Date() });
    await sleep(Math.random() * 30);
    await progress.report({ attemptId: offer.attemptId, event: 'ended', at: new Date(), ...(answered ? {} : { sipCode: 480 }) });
    dispose(offer.attemptId);
  };
  // Simulated calls run in this process: the final reconciliation waits for those in flight.
  const inflight = new Set<Promise<void>>();
  const take = (o: OfferPayload) => {
    const p = onOffer(o).catch(() => undefined);
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  };
  socket.on('offer', take);
  socket.on('snapshot', (snap: AgentSnapshot) => {
    if (snap.offer) take(snap.offer);
    else if (snap.call?.status === 'wrap_up') dispose(snap.call.attemptId);
    else if (snap.state.status === 'paused' || snap.state.status === 'ready') socket.emit('ready', () => undefined);
  });
  socket.on('state', (s) => {
    if (s.status === 'paused') setTimeout(() => socket.emit('ready', () => undefined), 100);
  });
  const beat = setInterval(() => socket.connected && socket.emit('heartbeat'), 1000);
  return async () => {
    clearInterval(beat);
    socket.disconnect();
    await Promise.all(inflight);
  };
}

beforeAll(async () => {
  ctx = await startTestApp({ DIALER_RULES_CLOCK_OFFSET_MIN: String(offset), LOGIN_RATE_PER_MIN: '10000' });
  fx = await seedFixture(ctx.app);
}, 60_000);

afterAll(async () => {
  for (const c of children) await kill(c);
  await ctx?.close();
});

describe('chaos', () => {
  it('kill -9 at random moments loses no contact and never overlaps two attempts', { timeout: 180_000 }, async () => {
    const trainees = await addTrainees(ctx.app, fx, TRAINEES, 'chaos');
    campaign = await seedRunningCampaign(ctx.app, fx, { count: CONTACTS, trainees: trainees.map((t) => t.id), settings: { offerTtlSeconds: 15, wrapUpSeconds: 10 } });
    const lb = balancer();
    port = await lb.listen();
    let active = await startChild();
    // Warm spares: starting a server takes many seconds on a loaded machine.
    const spares = [await startChild(), await startChild()];
    const warm = new Set<Child>();
    for (const c of [active, ...spares]) void c.ready.then(() => warm.add(c), () => undefined);
    await active.ready;
    lb.switchTo(active.port);
    const stats = { dialled: 0, disposed: 0 };
    const stops: (() => Promise<void>)[] = [];
    for (const t of trainees) stops.push(simulate(t.id, (await login(ctx.app, t.username, '127.0.0.1')).cookie, stats));

    let kills = 0;
    let liveKills = 0;
    const end = Date.now() + CHAOS_MS;
    while (Date.now() < end) {
      await sleep(1000 + Math.random() * 3000);
      const ready = spares.find((c) => warm.has(c));
      // Kill the serving process when a replacement is ready; otherwise kill a spare in the
      // middle of its start-up (and its start-up reconciliation), and start it again.
      const victim = ready ? active : spares[Math.floor(Math.random() * spares.length)]!;
      await kill(victim.proc);
      kills++;
      if (ready) {
        liveKills++;
        spares.splice(spares.indexOf(ready), 1);
        active = ready;
        lb.switchTo(active.port);
      } else {
        spares.splice(spares.indexOf(victim), 1);
      }
      const fresh = await startChild();
      void fresh.ready.then(() => warm.add(fresh), () => undefined);
      spares.push(fresh);
    }
    await sleep(2000);
    await Promise.all(stops.map((stop) => stop()));
    // A last crash of everything, then the start-up reconciliation (run here) must leave nothing in flight.
    for (const c of children) await kill(c);
    lb.close();
    await ctx.app.dialer.sweep(new Date(Date.now() + 3600_000));

    console.warn(`chaos: ${kills} kills (${liveKills} of the serving process), ${stats.dialled} calls dialled, ${stats.disposed} dispositions acknowledged`);
    expect(kills).toBeGreaterThanOrEqual(5);
    expect(liveKills).toBeGreaterThanOrEqual(1);
    expect(stats.dialled).toBeGreaterThan(50);
    const db = ctx.app.db;
    // None lost: every contact still has exactly one dialing row, in a known state.
    const states = await db.selectFrom('contactsDialing').select(['status', sql<number>`count(*)::int`.as('n')]).where('campaignId', '=', campaign.campaignId).groupBy('status').execute();
    const total = states.reduce((s, r) => s + r.n, 0);
    expect(total).toBe(CONTACTS);
    const held = await sql`select a.status, a.dialed_at, a.ended_at, t.expires_at from contacts_dialing d left join call_attempts a on a.id = d.attempt_id
      left join call_tokens t on t.attempt_id = a.id where d.campaign_id = ${campaign.campaignId} and d.status = 'locked'`.execute(db);
    expect(states.filter((s) => !['pending', 'callback', 'done', 'refused', 'exhausted'].includes(s.status)), JSON.stringify(held.rows)).toEqual([]);
    // Nothing still held or open after reconciliation.
    expect(await db.selectFrom('callAttempts').select('id').where('closedAt', 'is', null).execute()).toEqual([]);
    expect(await db.selectFrom('contactsDialing').select('contactId').where('lockedBy', 'is not', null).execute()).toEqual([]);
    // No contact ever had two attempts overlapping in time.
    const overlaps = await sql<{ n: number }>`select count(*)::int as n from call_attempts a join call_attempts b
      on a.contact_id = b.contact_id and a.id <> b.id and a.offered_at <= b.offered_at and a.closed_at > b.offered_at
      where a.campaign_id = ${campaign.campaignId}`.execute(db);
    expect(overlaps.rows[0]!.n).toBe(0);
    // Exactly once: each contact's attempt counter equals its dialled attempts.
    const miscounted = await sql<{ n: number }>`select count(*)::int as n from contacts_dialing d
      where d.campaign_id = ${campaign.campaignId}
        and d.attempts <> (select count(*) from call_attempts a where a.contact_id = d.contact_id and a.dialed_at is not null)`.execute(db);
    expect(miscounted.rows[0]!.n).toBe(0);
    // Each state agrees with the last closed attempt's outcome.
    const inconsistent = await sql<{ status: string; outcome: string | null; n: number }>`
      with last as (
        select distinct on (contact_id) contact_id, outcome from call_attempts
        where campaign_id = ${campaign.campaignId} and dialed_at is not null order by contact_id, offered_at desc)
      select d.status, l.outcome, count(*)::int as n from contacts_dialing d left join last l on l.contact_id = d.contact_id
      where d.campaign_id = ${campaign.campaignId} and not (
        (d.status = 'done' and l.outcome = 'wrong_number')
        or (d.status = 'refused' and l.outcome = 'not_interested')
        or (d.status = 'callback' and l.outcome = 'callback')
        or (d.status = 'pending' and (l.outcome is null or l.outcome in ('no_answer', 'busy', 'voicemail', 'failed')))
        or (d.status = 'exhausted' and l.outcome in ('no_answer', 'busy', 'voicemail', 'failed')))
      group by 1, 2`.execute(db);
    expect(inconsistent.rows).toEqual([]);
    // Every callback promised is persisted for a contact waiting on it.
    const orphanCallbacks = await sql<{ n: number }>`select count(*)::int as n from contacts_dialing d
      where d.campaign_id = ${campaign.campaignId} and d.status = 'callback'
        and not exists (select 1 from callbacks c where c.contact_id = d.contact_id and c.status = 'pending')`.execute(db);
    expect(orphanCallbacks.rows[0]!.n).toBe(0);
    // No trainee left holding anything.
    const holding = await db.selectFrom('agentPresence').select('userId').where('attemptId', 'is not', null).execute();
    expect(holding).toEqual([]);
  });
});
