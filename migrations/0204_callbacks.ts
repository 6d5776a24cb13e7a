import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Callbacks promised to customers: persisted here, mirrored by a BullMQ delayed job that wakes the dialer.
  await db.schema
    .createTable('callbacks')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id'))
    .addColumn('contact_id', 'uuid', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('due_at', 'timestamptz', (c) => c.notNull())
    // Reserved to the trainee who promised it, or null for anyone on the campaign.
    .addColumn('reserved_to', 'uuid', (c) => c.references('users.id'))
    .addColumn('created_by_attempt', 'uuid', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'taken', 'done', 'cancelled')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index callbacks_due_idx on callbacks (campaign_id, due_at) where status = 'pending'`.execute(db);
  // One live callback per contact.
  await sql`create unique index callbacks_one_live_per_contact on callbacks (contact_id) where status in ('pending', 'taken')`.execute(db);
}
