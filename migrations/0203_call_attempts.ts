import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('call_attempts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id'))
    // Kept (set null) when a campaign's contacts are purged: attempts are also working records.
    .addColumn('contact_id', 'uuid', (c) => c.references('contacts.id').onDelete('set null'))
    .addColumn('partner_id', 'uuid', (c) => c.notNull())
    // For the per-partner attempt cap across campaigns; nulled with the contact at purge time.
    .addColumn('phone_hmac', 'text')
    .addColumn('agent_user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('callback_id', 'uuid')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('offered'))
    .addColumn('offered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('dialed_at', 'timestamptz')
    .addColumn('ringing_at', 'timestamptz')
    .addColumn('answered_at', 'timestamptz')
    .addColumn('ended_at', 'timestamptz')
    .addColumn('wrap_up_deadline', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('ring_seconds', 'integer')
    .addColumn('talk_seconds', 'integer')
    .addColumn('sip_code', 'integer')
    .addColumn('cause', 'text')
    .addColumn('hung_up_by', 'text')
    .addColumn('outcome', 'text')
    .addColumn('disposition', 'jsonb')
    .addCheckConstraint('call_attempts_status_chk', sql`status in ('offered', 'dialing', 'ringing', 'in_call', 'wrap_up', 'closed')`)
    .addCheckConstraint('call_attempts_closed_chk', sql`(status = 'closed') = (closed_at is not null)`)
    .execute();
  // Exactly once: a contact is held by at most one open attempt, a trainee holds at most one.
  await sql`create unique index call_attempts_one_open_per_contact on call_attempts (contact_id) where closed_at is null`.execute(db);
  await sql`create unique index call_attempts_one_open_per_agent on call_attempts (agent_user_id) where closed_at is null`.execute(db);
  await sql`create index call_attempts_cap_idx on call_attempts (partner_id, phone_hmac, dialed_at) where dialed_at is not null`.execute(db);
  await sql`create index call_attempts_contact_idx on call_attempts (contact_id, offered_at)`.execute(db);
  await sql`create index call_attempts_campaign_idx on call_attempts (campaign_id, offered_at)`.execute(db);

  await db.schema
    .createTable('call_tokens')
    .addColumn('token', 'text', (c) => c.primaryKey().check(sql`token ~ '^tk_[0-9A-Za-z]{32}$'`))
    .addColumn('agent_user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('attempt_id', 'uuid', (c) => c.notNull().references('call_attempts.id').onDelete('cascade'))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('call_tokens_attempt_idx').on('call_tokens').column('attempt_id').execute();
}
