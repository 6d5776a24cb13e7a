import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Lasting notice to a trainee (a final evaluation to read), also pushed live when connected.
  await db.schema
    .createTable('assessment_notifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('evaluation_id', 'uuid', (c) => c.notNull().references('evaluations.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('read_at', 'timestamptz')
    .execute();
  await sql`create index assessment_notifications_user_idx on assessment_notifications (user_id, created_at) where read_at is null`.execute(db);
}
