import { sql } from 'kysely';
import { prepared } from '../../db/prepared.ts';
import type { Db } from '../../db/database.ts';

/**
 * Console heartbeats, written for all consoles of this instance in one statement per interval
 * instead of one write (and one WAL flush) per console every few seconds. A heartbeat is at most
 * a couple of intervals late, far below the heartbeat timeout (≥ 5 s) that pauses a silent console.
 */
export class HeartbeatBuffer {
  private pending = new Set<string>();
  /** Skipped once because a state change held the row: tried once more. */
  private retrying = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly onError: (err: unknown) => void,
    private readonly intervalMs = 1000,
  ) {}

  touch(userId: string): void {
    this.pending.add(userId);
    this.schedule();
  }

  private schedule() {
    this.timer ??= setTimeout(() => void this.flush().catch(this.onError), this.intervalMs);
  }

  /** Writes what is pending now (also on shutdown, so no heartbeat is dropped). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const fresh = this.pending;
    const again = this.retrying;
    this.pending = new Set();
    this.retrying = new Set();
    if (fresh.size + again.size === 0) return;
    // Rows a state change holds are skipped, not waited for: the batch must not queue behind
    // offers and then hold every console's row while it waits.
    const written = await sql<{ userId: string }>`${prepared('heartbeats')} update agent_presence set last_heartbeat_at = now()
      where user_id in (select user_id from agent_presence where user_id = any(${[...new Set([...fresh, ...again])]}::uuid[]) for update skip locked)
      returning user_id`.execute(this.db);
    const done = new Set(written.rows.map((r) => r.userId));
    for (const id of fresh) if (!done.has(id) && !this.pending.has(id)) this.retrying.add(id);
    if (this.retrying.size) this.schedule();
  }
}
