import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Data keys that belong to no campaign (e.g. practice-call recordings), wrapped by the master
  // key like campaign keys; one per named purpose.
  await db.schema
    .createTable('vault_keys')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('wrapped_key', 'bytea', (c) => c.notNull())
    .addColumn('master_key_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}
