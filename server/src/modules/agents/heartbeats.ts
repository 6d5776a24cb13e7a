import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/**
 * Console heartbeats, written for all consoles of this instance in one statement per interval
 * instead of one write (and one WAL flush) per console every few seconds. A heartbeat is at most
 * one interval late, far below the heartbeat timeout (≥ 5 s) that pauses a silent console.
 */
export class HeartbeatBuffer {
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly onError: (err: unknown) => void,
    private readonly intervalMs = 1000,
  ) {}

  touch(userId: string): void {
    this.pending.add(userId);
    this.timer ??= setTimeout(() => void this.flush().catch(this.onError), this.intervalMs);
  }

  /** Writes what is pending now (also on shutdown, so no heartbeat is dropped). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) return;
    const userIds = [...this.pending];
    this.pending.clear();
    await sql`update agent_presence set last_heartbeat_at = now() where user_id = any(${userIds}::uuid[])`.execute(this.db);
  }
}
