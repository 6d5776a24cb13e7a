import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A partner's free appointment slots (optionally for one campaign), booked by dispositions.
  await db.schema
    .createTable('appointment_slots')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('partner_id', 'uuid', (c) => c.notNull().references('partners.id'))
    .addColumn('campaign_id', 'uuid', (c) => c.references('campaigns.id').onDelete('cascade'))
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('onsite', 'phone', 'video')`))
    .addColumn('place', 'text')
    .addColumn('capacity', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('booked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('appointment_slots_time', sql`ends_at > starts_at`)
    .addCheckConstraint('appointment_slots_capacity', sql`booked between 0 and capacity`)
    .execute();
  await db.schema.createIndex('appointment_slots_partner_idx').on('appointment_slots').columns(['partner_id', 'starts_at']).execute();
}
