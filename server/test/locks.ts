import { sql } from 'kysely';
import type { Db } from '../src/db/database.ts';

/** Waits until some statement of this database waits for a row lock; returns its backend pid. */
export async function someoneWaitsForALock(db: Db): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const r = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' limit 1`.execute(db);
    if (r.rows[0]) return r.rows[0].pid;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('nobody waited for the lock');
}
