import type { Redis } from 'ioredis';
import { healthSignature, type AgentHealth } from '@passerelle/shared/agent-health';
import type { AgentHealthView } from '@passerelle/shared/events';
import type { Realtime } from '../../plugins/realtime.ts';

/** Three missed heartbeats (every 10 s): the console is gone and its health unknown. */
export const HEALTH_TTL_S = 30;

/**
 * Latest phone/headset health per trainee, in Redis (any instance reads what another received;
 * a record expires when its console stops reporting). Supervisors get `agent:health` only when
 * what a trainer would notice changed (shared healthSignature), not on every heartbeat.
 */
export class AgentHealthStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly realtime: Realtime,
    private readonly ttlS = HEALTH_TTL_S,
  ) {}

  private key(userId: string) {
    return `${this.prefix}:health:${userId}`;
  }

  async report(userId: string, health: AgentHealth): Promise<void> {
    const view: AgentHealthView = { userId, at: new Date().toISOString(), ...health };
    const previous = await this.redis.set(this.key(userId), JSON.stringify(view), 'EX', this.ttlS, 'GET');
    const before = previous ? (JSON.parse(previous) as AgentHealthView) : null;
    if (!before || healthSignature(before) !== healthSignature(view)) this.realtime.toSupervisors('agent:health', { userId, health: view });
  }

  /** The console left (last socket closed): its health is unknown from now on. */
  async clear(userId: string): Promise<void> {
    if (await this.redis.del(this.key(userId))) this.realtime.toSupervisors('agent:health', { userId, health: null });
  }

  async list(userIds: readonly string[]): Promise<AgentHealthView[]> {
    if (!userIds.length) return [];
    const raws = await this.redis.mget(userIds.map((id) => this.key(id)));
    return raws.filter((r): r is string => !!r).map((r) => JSON.parse(r) as AgentHealthView);
  }
}
