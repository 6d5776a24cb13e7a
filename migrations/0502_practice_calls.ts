import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A role play (mise en situation): the trainer plays the customer from a scenario card.
  await db.schema
    .createTable('practice_calls')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('trainee_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('trainer_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('scenario', 'text', (c) => c.notNull())
    // Kept when the recording expires (6 months) while the practice record lives on.
    .addColumn('recording_id', 'uuid', (c) => c.references('recordings.id').onDelete('set null'))
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ended_at', 'timestamptz')
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('delete_after', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('practice_calls_scenario_chk', sql`scenario in ('appointment', 'loyalty', 'after_sales', 'difficult_customer')`)
    .execute();
  await sql`create index practice_calls_trainee_idx on practice_calls (trainee_id, started_at)`.execute(db);
  await sql`create index practice_calls_delete_after_idx on practice_calls (delete_after)`.execute(db);
}
