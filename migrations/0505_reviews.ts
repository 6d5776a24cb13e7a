import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Bilans: initial, follow-up and final reviews of a trainee.
  await db.schema
    .createTable('reviews')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('trainee_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('trainer_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('review_date', 'date', (c) => c.notNull())
    .addColumn('scorecard_id', 'uuid', (c) => c.notNull().references('scorecards.id'))
    // Competency id → level on the scorecard's scale.
    .addColumn('competency_levels', 'jsonb', (c) => c.notNull())
    .addColumn('objectives', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('comments', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('next_review_date', 'date')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('delete_after', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('reviews_kind_chk', sql`kind in ('initial', 'follow_up', 'final')`)
    .execute();
  await sql`create index reviews_trainee_idx on reviews (trainee_id, review_date)`.execute(db);
  await sql`create index reviews_delete_after_idx on reviews (delete_after)`.execute(db);

  // The evaluations a review relied on (the link goes when an evaluation expires).
  await db.schema
    .createTable('review_evaluations')
    .addColumn('review_id', 'uuid', (c) => c.notNull().references('reviews.id').onDelete('cascade'))
    .addColumn('evaluation_id', 'uuid', (c) => c.notNull().references('evaluations.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('review_evaluations_pk', ['review_id', 'evaluation_id'])
    .execute();
}
