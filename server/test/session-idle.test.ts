import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { listenLocally, startSeededApp, type TestContext } from './app.ts';
import { login, type Fixture } from './fixtures.ts';
import { connectAs, type AgentClient } from './dialer-fixtures.ts';

/** The server-side idle clock: a console's heartbeats are not the trainee's activity. */

let ctx: TestContext;
let fx: Fixture;
let url: string;
const SEAT = '127.0.0.1';
const clients: AgentClient[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  ({ ctx, fx } = await startSeededApp({ SOCKET_SESSION_RECHECK_S: '1', LOGIN_RATE_PER_MIN: '1000' }));
  url = await listenLocally(ctx.app);
});

afterAll(async () => {
  for (const c of clients) c.disconnect();
  await ctx?.close();
});

const lastSeenAgo = async () => {
  const r = await sql<{ s: number }>`select extract(epoch from now() - last_seen_at)::float8 as s from sessions
    where revoked_at is null and user_id = ${fx.users.trainee.id}`.execute(ctx.app.db);
  return r.rows[0]?.s ?? null;
};

/** An open console that heart-beats every 200 ms, as the agent console does (less often) for real. */
async function heartbeatingConsole(cookie: string) {
  const socket = connectAs<AgentClient>(url, '/agent', cookie);
  clients.push(socket);
  await new Promise<void>((resolve) => socket.once('snapshot', () => resolve()));
  const timer = setInterval(() => socket.emit('heartbeat'), 200);
  socket.on('disconnect', () => clearInterval(timer));
  return socket;
}

describe('trainee idle timeout with a console open', () => {
  it('heartbeats and session re-checks do not refresh the idle clock', async () => {
    const { cookie } = await login(ctx.app, fx.users.trainee.username, SEAT);
    const socket = await heartbeatingConsole(cookie);
    await sql`update sessions set last_seen_at = now() - interval '10 minutes' where revoked_at is null and user_id = ${fx.users.trainee.id}`.execute(ctx.app.db);
    await sleep(2_500); // two re-checks at least
    expect(socket.connected).toBe(true);
    expect(await lastSeenAgo()).toBeGreaterThan(599);
  });

  it('closes the console socket once the session is idle past the timeout', async () => {
    const { cookie, headers } = await login(ctx.app, fx.users.trainee.username, SEAT);
    const socket = await heartbeatingConsole(cookie);
    const closed = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    socket.io.opts.reconnection = false;
    await sql`update sessions set last_seen_at = now() - interval '16 minutes' where revoked_at is null and user_id = ${fx.users.trainee.id}`.execute(ctx.app.db);
    await closed;
    const after = await ctx.app.inject({ url: '/api/auth/session', headers, remoteAddress: SEAT });
    expect(after.statusCode).toBe(401);
  });
});
