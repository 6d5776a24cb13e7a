import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createDb, type Db } from '../src/db/database.ts';
import { prepared, runPrepared } from '../src/db/prepared.ts';
import { createFreshDatabase } from './db.ts';

/**
 * Hot queries marked `prepared` run as named statements, planned once per connection; nothing
 * else does (a generic plan could be wrong for a query whose best plan depends on its values).
 */

let db: Db;
let drop: () => Promise<void>;

beforeAll(async () => {
  const fresh = await createFreshDatabase();
  drop = fresh.drop;
  db = createDb(fresh.url, { max: 1 });
});

afterAll(async () => {
  await db?.destroy();
  await drop?.();
});

const statements = async () => (await sql<{ name: string; calls: number }>`select name, generic_plans + custom_plans as calls from pg_prepared_statements order by name`.execute(db)).rows;

it('runs a marked raw query or built query as one named statement per text, reused, and leaves the rest unnamed', async () => {
  for (const n of [1, 2, 3]) {
    expect((await sql<{ n: number }>`${prepared('probe')} select ${n}::int as n`.execute(db)).rows).toEqual([{ n }]);
    expect((await sql<{ n: number }>`select ${n}::int + 1 as n`.execute(db)).rows).toEqual([{ n: n + 1 }]);
    const built = db.selectFrom('users').select('username').where('username', '=', `nobody-${n}`);
    expect((await runPrepared(db, 'probe_built', built)).rows).toEqual([]);
  }
  // The same mark on another text is another statement.
  await sql`${prepared('probe')} select 'other'`.execute(db);
  const named = await statements();
  expect(named.map((s) => s.name.replace(/_\d+$/, ''))).toEqual(['probe', 'probe', 'probe_built']);
  expect(named.map((s) => s.calls).sort()).toEqual([1, 3, 3]);
});

it('maps the built query’s columns as every other query does (camelCase)', async () => {
  await db.insertInto('sites').values({ name: 'Préparée', timeZone: 'America/Guadeloupe' }).execute();
  const row = (await runPrepared(db, 'probe_site', db.selectFrom('sites').select(['name', 'timeZone']).where('name', '=', 'Préparée'))).rows[0];
  expect(row).toEqual({ name: 'Préparée', timeZone: 'America/Guadeloupe' });
});
