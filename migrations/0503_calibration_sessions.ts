import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Several trainers score the same call blind, then agree on a reference score.
  await db.schema
    .createTable('calibration_sessions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('scorecard_id', 'uuid', (c) => c.notNull().references('scorecards.id'))
    .addColumn('trainee_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('attempt_id', 'uuid', (c) => c.references('call_attempts.id').onDelete('set null'))
    .addColumn('recording_id', 'uuid', (c) => c.references('recordings.id').onDelete('set null'))
    .addColumn('practice_call_id', 'uuid', (c) => c.references('practice_calls.id').onDelete('set null'))
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('reference_answers', 'jsonb')
    .addColumn('reference_result', 'jsonb')
    .addColumn('agreement', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('closed_at', 'timestamptz')
    .addColumn('delete_after', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('calibration_sessions_status_chk', sql`status in ('open', 'closed')`)
    .addCheckConstraint('calibration_sessions_closed_chk', sql`(status = 'closed') = (closed_at is not null)`)
    .execute();
  await sql`create index calibration_sessions_delete_after_idx on calibration_sessions (delete_after)`.execute(db);
}
