import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createDb, type Db } from '../src/db/database.ts';
import { retryOnDeadlock } from '../src/db/retry.ts';
import { createFreshDatabase } from './db.ts';

/** Two transactions locking two rows in opposite orders: PostgreSQL aborts one, which is retried. */
let db: Db;
let drop: () => Promise<void>;

beforeAll(async () => {
  const fresh = await createFreshDatabase();
  drop = fresh.drop;
  db = createDb(fresh.url, { max: 4 });
  await sql`create table pair (id int primary key, n int not null default 0)`.execute(db);
  await sql`insert into pair (id) values (1), (2)`.execute(db);
});

afterAll(async () => {
  await db?.destroy();
  await drop?.();
});

it('runs a transaction again when PostgreSQL aborted it to break a deadlock', async () => {
  let tries = 0;
  let bothHoldOne!: () => void;
  const holding = new Promise<void>((r) => (bothHoldOne = r));
  let held = 0;
  const crossing = (first: number, second: number) =>
    retryOnDeadlock(() => {
      tries++;
      return db.transaction().execute(async (trx) => {
        await sql`update pair set n = n + 1 where id = ${first}`.execute(trx);
        // The first try of each waits until both hold their first row: then they must deadlock.
        if (++held <= 2) {
          if (held === 2) bothHoldOne();
          await holding;
        }
        await sql`update pair set n = n + 1 where id = ${second}`.execute(trx);
      });
    });
  await Promise.all([crossing(1, 2), crossing(2, 1)]);
  expect(tries).toBe(3);
  const rows = (await sql<{ id: number; n: number }>`select id, n from pair order by id`.execute(db)).rows;
  expect(rows).toEqual([{ id: 1, n: 2 }, { id: 2, n: 2 }]);
});

it('does not retry other errors', async () => {
  let tries = 0;
  await expect(retryOnDeadlock(async () => {
    tries++;
    await sql`select 1/0`.execute(db);
  })).rejects.toMatchObject({ code: '22012' });
  expect(tries).toBe(1);
});
