import type { Redis } from 'ioredis';
import type { HelpRequest, HelpView } from '@passerelle/shared/events';
import type { Realtime } from '../../plugins/realtime.ts';

/** A trainee's raised hand. Short-lived and non-personal: kept in Redis, never in the database. */
export type { HelpRequest, HelpView };

/** A request nobody handled disappears after a shift. */
const TTL_S = 8 * 3600;
const NONE: HelpView = { status: 'none', acknowledgedBy: null };

export const viewOf = (r: HelpRequest | null): HelpView => (r ? { status: r.status, acknowledgedBy: r.acknowledgedBy } : NONE);

/**
 * Help requests from trainees to trainers. Events (typed in shared/src/events.ts): supervisors get
 * `help:request` (HelpRequest) and `help:closed` ({ userId }); the trainee gets `help:update` (HelpView).
 */
export class HelpRequests {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly realtime: Realtime,
  ) {}

  private key(userId: string) {
    return `${this.prefix}:help:${userId}`;
  }
  private get openSet() {
    return `${this.prefix}:help:open`;
  }

  async get(userId: string): Promise<HelpRequest | null> {
    const raw = await this.redis.get(this.key(userId));
    return raw ? (JSON.parse(raw) as HelpRequest) : null;
  }

  /** Raising twice keeps the first request (and its place in the queue). */
  async raise(user: { userId: string; displayName: string; siteId: string | null }): Promise<HelpRequest> {
    const existing = await this.get(user.userId);
    if (existing) return existing;
    const request: HelpRequest = { ...user, at: new Date().toISOString(), status: 'open', acknowledgedBy: null };
    await this.redis.multi().set(this.key(user.userId), JSON.stringify(request), 'EX', TTL_S).zadd(this.openSet, Date.now(), user.userId).exec();
    this.emit(request);
    return request;
  }

  async acknowledge(userId: string, by: string): Promise<HelpRequest | null> {
    const existing = await this.get(userId);
    if (!existing) return null;
    const request: HelpRequest = { ...existing, status: 'acknowledged', acknowledgedBy: by };
    await this.redis.set(this.key(userId), JSON.stringify(request), 'KEEPTTL');
    this.emit(request);
    return request;
  }

  async close(userId: string): Promise<boolean> {
    const [[, removed]] = (await this.redis.multi().del(this.key(userId)).zrem(this.openSet, userId).exec()) as [[unknown, number]];
    this.realtime.toSupervisors('help:closed', { userId });
    this.toAgent(userId, NONE);
    return removed > 0;
  }

  /** Open and acknowledged requests, oldest first (expired ones are dropped on the way). */
  async list(): Promise<HelpRequest[]> {
    const ids = await this.redis.zrange(this.openSet, '0', '-1');
    if (!ids.length) return [];
    const raws = await this.redis.mget(ids.map((id) => this.key(id)));
    const gone = ids.filter((_, i) => !raws[i]);
    if (gone.length) await this.redis.zrem(this.openSet, ...gone);
    return raws.filter((r): r is string => !!r).map((r) => JSON.parse(r) as HelpRequest);
  }

  private emit(request: HelpRequest) {
    this.realtime.toSupervisors('help:request', request);
    this.toAgent(request.userId, viewOf(request));
  }

  private toAgent(userId: string, view: HelpView) {
    this.realtime.toAgent(userId, 'help:update', view);
  }
}
