import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // One trainer's scoring of one call (live, recorded, or practice) on one scorecard version.
  // Holds no partner data: the trainee (pseudonymous user), the evaluator, when/how long, scores.
  await db.schema
    .createTable('evaluations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('scorecard_id', 'uuid', (c) => c.notNull().references('scorecards.id'))
    .addColumn('trainee_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('evaluator_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('attempt_id', 'uuid', (c) => c.references('call_attempts.id').onDelete('set null'))
    .addColumn('recording_id', 'uuid', (c) => c.references('recordings.id').onDelete('set null'))
    .addColumn('practice_call_id', 'uuid', (c) => c.references('practice_calls.id').onDelete('set null'))
    .addColumn('calibration_session_id', 'uuid', (c) => c.references('calibration_sessions.id').onDelete('cascade'))
    .addColumn('is_practice', 'boolean', (c) => c.notNull().defaultTo(false))
    // Copied at creation so progress filters survive a campaign purge.
    .addColumn('campaign_type', 'text')
    .addColumn('call_at', 'timestamptz', (c) => c.notNull())
    .addColumn('call_duration_s', 'integer')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('answers', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('comment_fields', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('result', 'jsonb')
    .addColumn('overall', 'numeric')
    .addColumn('share_excerpt', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('excerpt_start_ms', 'integer')
    .addColumn('excerpt_end_ms', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finalized_at', 'timestamptz')
    .addColumn('delete_after', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('evaluations_subject_chk', sql`subject in ('call', 'recording', 'practice')`)
    .addCheckConstraint('evaluations_status_chk', sql`status in ('draft', 'final')`)
    .addCheckConstraint('evaluations_final_chk', sql`(status = 'final') = (finalized_at is not null and result is not null)`)
    .addCheckConstraint('evaluations_excerpt_chk', sql`excerpt_start_ms is null or excerpt_end_ms > excerpt_start_ms`)
    .execute();
  await sql`create index evaluations_trainee_idx on evaluations (trainee_id, call_at)`.execute(db);
  await sql`create index evaluations_delete_after_idx on evaluations (delete_after)`.execute(db);
  await sql`create unique index evaluations_one_per_calibration_rater on evaluations (calibration_session_id, evaluator_id) where calibration_session_id is not null`.execute(db);

  // Timestamped comments: at_ms is the offset in the recording (null for a general remark).
  await db.schema
    .createTable('evaluation_comments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('evaluation_id', 'uuid', (c) => c.notNull().references('evaluations.id').onDelete('cascade'))
    .addColumn('author_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('at_ms', 'integer', (c) => c.check(sql`at_ms >= 0`))
    .addColumn('criterion_id', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index evaluation_comments_eval_idx on evaluation_comments (evaluation_id, at_ms)`.execute(db);
}
