import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentHealth } from '@passerelle/shared/agent-health';
import type { AgentHealthView, SupervisorSnapshot } from '@passerelle/shared/events';
import type { App } from '../src/app.ts';
import { HEALTH_TTL_S } from '../src/modules/agent-health/service.ts';
import { startTwoInstances, type TwoInstances } from './app.ts';
import { ask, openClient, type AgentClient, type SupervisorClient } from './dialer-fixtures.ts';
import { login, seedFixture, type Fixture } from './fixtures.ts';

/**
 * Phone/headset health: a trainee's console on instance A reports over /agent, a trainer on
 * instance B sees it in the snapshot and live; Redis expiry makes a silent console unknown.
 */
let ctx: TwoInstances;
let second: App;
let fx: Fixture;
let urlA: string;
let urlB: string;
const sockets: { disconnect(): void }[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type HealthEvent = { userId: string; health: AgentHealthView | null };

beforeAll(async () => {
  ctx = await startTwoInstances({ LOGIN_RATE_PER_MIN: '10000' });
  ({ second } = ctx);
  [urlA, urlB] = ctx.urls;
  fx = await seedFixture(ctx.app);
}, 60_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await ctx?.close();
});

async function connectAgent(username: string) {
  const { cookie } = await login(ctx.app, username, '127.0.0.1');
  return (await openClient<AgentClient>(urlA, '/agent', cookie, sockets)).socket;
}

async function connectSupervisor() {
  const { cookie } = await login(second, fx.users.trainer.username, '127.0.0.1');
  const { socket: sup, log } = await openClient<SupervisorClient>(urlB, '/supervisor', cookie, sockets);
  return { sup, log, snapshot: () => ask<SupervisorSnapshot>((ack) => sup.emit('snapshot:get', ack)) };
}

const registered: AgentHealth = { sip: 'registered', mic: 'ok', call: null };

describe('agent health', () => {
  it('reaches a supervisor on another instance live and in the snapshot, only when it changes', async () => {
    const { log, snapshot } = await connectSupervisor();
    const agent = await connectAgent(fx.users.trainee.username);
    const me = fx.users.trainee.id;

    agent.emit('health', registered);
    const first = await log.next<HealthEvent>('agent:health', (p) => p.userId === me);
    expect(first.health).toMatchObject({ userId: me, sip: 'registered', mic: 'ok', call: null });
    expect((await snapshot()).health).toEqual([expect.objectContaining({ userId: me, sip: 'registered' })]);

    // The same health with the heartbeat refreshes the record, tells nobody.
    let mark = log.mark;
    await sleep(600);
    agent.emit('health', registered);
    await sleep(600);
    const lossy: AgentHealth = { sip: 'registered', mic: 'muted', call: { packetLossPct: 7.04, jitterMs: 12.4, rttMs: 40, micLevel: 0.123 } };
    agent.emit('health', lossy);
    const changed = await log.next<HealthEvent>('agent:health', (p) => p.userId === me, mark);
    expect(log.events.slice(mark).filter((e) => e.event === 'agent:health')).toHaveLength(1);
    expect(changed.health).toMatchObject({ mic: 'muted', call: { packetLossPct: 7, jitterMs: 12, rttMs: 40, micLevel: 0.12 } });

    // Malformed or over-rich reports are dropped: the record stays as it was.
    mark = log.mark;
    for (const bad of [{ ...registered, sip: 'ok' }, { ...registered, device: 'Casque Jabra de Conseiller 01' }, { ...registered, call: { packetLossPct: -1, jitterMs: 0, rttMs: null, micLevel: null } }, 'x']) {
      await sleep(600);
      agent.emit('health', bad as never);
    }
    await sleep(800);
    expect(log.events.slice(mark).filter((e) => e.event === 'agent:health')).toHaveLength(0);
    expect((await snapshot()).health[0]).toMatchObject({ mic: 'muted' });
    const ttl = await ctx.app.redis.ttl(`${ctx.config.REDIS_PREFIX}:health:${me}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(HEALTH_TTL_S);
  });

  it('a console that stops reporting becomes unknown: at once when it leaves, by expiry when it hangs', async () => {
    const { log, snapshot } = await connectSupervisor();
    const agent = await connectAgent(fx.users.trainee2.username);
    const me = fx.users.trainee2.id;
    agent.emit('health', registered);
    await log.next<HealthEvent>('agent:health', (p) => p.userId === me && p.health !== null);

    // Silent but connected: the Redis record expires and the snapshot no longer has it.
    await ctx.app.redis.pexpire(`${ctx.config.REDIS_PREFIX}:health:${me}`, 1);
    await sleep(50);
    expect((await snapshot()).health.find((h) => h.userId === me)).toBeUndefined();

    await sleep(600);
    agent.emit('health', { ...registered, sip: 'failed' });
    await log.next<HealthEvent>('agent:health', (p) => p.userId === me && p.health?.sip === 'failed');
    const mark = log.mark;
    agent.disconnect();
    await log.next<HealthEvent>('agent:health', (p) => p.userId === me && p.health === null, mark, 8000);
    expect((await snapshot()).health.find((h) => h.userId === me)).toBeUndefined();
  });
});
