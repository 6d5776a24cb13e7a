import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The dialing state of each contact: the source of truth for who may be called and who holds whom.
  await db.schema
    .createTable('contacts_dialing')
    .addColumn('contact_id', 'uuid', (c) => c.primaryKey().references('contacts.id').onDelete('cascade'))
    .addColumn('campaign_id', 'uuid', (c) => c.notNull())
    .addColumn('partner_id', 'uuid', (c) => c.notNull())
    .addColumn('phone_hmac', 'text', (c) => c.notNull())
    .addColumn('territory', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    // pending (waiting for next_at) | locked (an attempt holds it) | callback (a callback row drives it)
    // | done | refused | opted_out | exhausted | blocked | ineligible (no legal basis) | expired (campaign over)
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('next_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_outcome', 'text')
    .addColumn('last_attempt_at', 'timestamptz')
    .addColumn('locked_by', 'uuid')
    .addColumn('lock_expires_at', 'timestamptz')
    .addColumn('attempt_id', 'uuid')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'contacts_dialing_status_chk',
      sql`status in ('pending', 'locked', 'callback', 'done', 'refused', 'opted_out', 'exhausted', 'blocked', 'ineligible', 'expired')`,
    )
    // A lock exists exactly while the status says so.
    .addCheckConstraint('contacts_dialing_lock_chk', sql`(status = 'locked') = (locked_by is not null and attempt_id is not null)`)
    .execute();
  await sql`create index contacts_dialing_ready_idx on contacts_dialing (campaign_id, priority desc, next_at) where status = 'pending'`.execute(db);
  await sql`create index contacts_dialing_status_idx on contacts_dialing (campaign_id, status)`.execute(db);
  await sql`create index contacts_dialing_locked_idx on contacts_dialing (lock_expires_at) where status = 'locked'`.execute(db);
  // Every stored contact gets its dialing row, whatever path inserted it (import, API, COPY).
  await sql`create function contacts_dialing_seed() returns trigger language plpgsql as $$
    begin
      insert into contacts_dialing (contact_id, campaign_id, partner_id, phone_hmac, territory, time_zone, language)
      select id, campaign_id, partner_id, phone_hmac, territory, time_zone, language from new_rows
      on conflict (contact_id) do nothing;
      return null;
    end $$`.execute(db);
  await sql`create trigger contacts_dialing_seed after insert on contacts
    referencing new table as new_rows for each statement execute function contacts_dialing_seed()`.execute(db);
}
