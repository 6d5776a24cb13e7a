import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Live supervision of a call (a trainer listening or whispering): who, on which call, since
  // when, until when and why it ended. Open rows (ended_at null) are the floor's "who is
  // listening"; closed rows keep the duration next to the audit entries.
  await db.schema
    .createTable('supervision_sessions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('attempt_id', 'uuid', (c) => c.notNull().references('call_attempts.id').onDelete('cascade'))
    .addColumn('call_id', 'text', (c) => c.notNull().references('sip_calls.call_id').onDelete('cascade'))
    .addColumn('agent_user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('supervisor_user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    // The trainer's /supervisor socket: the session lives as long as it does.
    .addColumn('socket_id', 'text', (c) => c.notNull())
    // rtpengine tags of this session (listen: one subscription per leg; whisper: the published monologue).
    .addColumn('media_tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ended_at', 'timestamptz')
    .addColumn('end_reason', 'text')
    .addCheckConstraint('supervision_sessions_kind_chk', sql`kind in ('listen', 'whisper')`)
    .addCheckConstraint('supervision_sessions_end_chk', sql`(ended_at is null) = (end_reason is null)`)
    .execute();
  await sql`create index supervision_sessions_open_idx on supervision_sessions (call_id) where ended_at is null`.execute(db);
  await sql`create index supervision_sessions_socket_idx on supervision_sessions (socket_id) where ended_at is null`.execute(db);
  // One whisper at a time per call: the trainee hears one trainer.
  await sql`create unique index supervision_sessions_one_whisper on supervision_sessions (call_id) where ended_at is null and kind = 'whisper'`.execute(db);
}
