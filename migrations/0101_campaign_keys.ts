import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // One data key per campaign, stored only wrapped by the master key; shredding nulls it for good.
  await db.schema
    .createTable('campaign_keys')
    .addColumn('campaign_id', 'uuid', (c) => c.primaryKey().references('campaigns.id'))
    .addColumn('wrapped_key', 'bytea')
    .addColumn('master_key_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('destroyed_at', 'timestamptz')
    .addCheckConstraint('campaign_keys_shredded', sql`(wrapped_key is null) = (destroyed_at is not null)`)
    .execute();
}
