import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create type campaign_type as enum ('appointment', 'loyalty', 'after_sales')`.execute(db);
  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('partner_id', 'uuid', (c) => c.notNull().references('partners.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', sql`campaign_type`, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('default_region', 'text', (c) => c.notNull().check(sql`default_region ~ '^[A-Z]{2}$'`))
    .addColumn('masking_policy', 'jsonb', (c) => c.notNull())
    .addColumn('retention_days', 'integer', (c) => c.notNull().check(sql`retention_days between 1 and 3650`))
    .addColumn('legal_basis_required', 'boolean', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('purged_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('campaigns_partner_idx').on('campaigns').columns(['partner_id', 'created_at']).execute();
}
