import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per SIP call the proxy placed for an attempt (keyed by the SIP Call-ID, which is also
  // rtpengine's call key). Open rows (ended_at null) are reconciled against rtpengine.
  await db.schema
    .createTable('sip_calls')
    .addColumn('call_id', 'text', (c) => c.primaryKey())
    .addColumn('attempt_id', 'uuid', (c) => c.notNull().references('call_attempts.id').onDelete('cascade'))
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id'))
    .addColumn('agent_user_id', 'uuid', (c) => c.notNull().references('users.id'))
    // Dialog tags of the agent (from) and the customer (to): rtpengine's participants.
    .addColumn('from_tag', 'text')
    .addColumn('to_tag', 'text')
    .addColumn('resolved_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ringing_at', 'timestamptz')
    .addColumn('answered_at', 'timestamptz')
    .addColumn('ended_at', 'timestamptz')
    .addColumn('sip_code', 'integer')
    .addColumn('cause', 'text')
    .addColumn('hung_up_by', 'text')
    // Set before a supervisor's hang-up so the ended event is attributed to the supervisor.
    .addColumn('terminated_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('recording_status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addCheckConstraint('sip_calls_recording_status_chk', sql`recording_status in ('pending', 'processing', 'stored', 'none', 'failed')`)
    .execute();
  await sql`create index sip_calls_attempt_idx on sip_calls (attempt_id)`.execute(db);
  await sql`create index sip_calls_open_idx on sip_calls (resolved_at) where ended_at is null`.execute(db);
}
