import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Live practice calls: the trainer invites a trainee, who accepts and dials a single-use
  // practice token (stored hashed) that the proxy resolves to the trainer's browser.
  // Records written by hand before (no call) keep status 'recorded'.
  await db.schema
    .alterTable('practice_calls')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('recorded'))
    .addColumn('invite_expires_at', 'timestamptz')
    .addColumn('token_hash', 'text', (c) => c.unique())
    .addColumn('token_expires_at', 'timestamptz')
    .addColumn('token_used_at', 'timestamptz')
    // SIP Call-ID once the proxy resolved the token: call events find the practice call by it.
    .addColumn('call_id', 'text', (c) => c.unique())
    .addColumn('answered_at', 'timestamptz')
    .addColumn('sip_code', 'integer')
    .addColumn('cause', 'text')
    .addColumn('hung_up_by', 'text')
    .addColumn('recording_status', 'text')
    .execute();
  await sql`alter table practice_calls add constraint practice_calls_status_chk check (status in ('recorded', 'invited', 'declined', 'cancelled', 'expired', 'accepted', 'calling', 'in_call', 'ended', 'failed'))`.execute(db);
  await sql`alter table practice_calls add constraint practice_calls_recording_status_chk check (recording_status in ('processing', 'stored', 'none', 'failed'))`.execute(db);
  await sql`create index practice_calls_live_idx on practice_calls (trainee_id) where status in ('invited', 'accepted', 'calling', 'in_call')`.execute(db);
}
