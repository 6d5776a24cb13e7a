import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Call recordings: the audio file is on disk, encrypted with the campaign's data key.
  await db.schema
    .createTable('recordings')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('attempt_id', 'uuid', (c) => c.notNull().references('call_attempts.id').onDelete('cascade'))
    .addColumn('call_id', 'text', (c) => c.notNull().unique())
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id'))
    .addColumn('partner_id', 'uuid', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('peaks', 'jsonb', (c) => c.notNull())
    // SHA-256 of the clear audio, checked after decryption.
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('delete_after', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create index recordings_attempt_idx on recordings (attempt_id)`.execute(db);
  await sql`create index recordings_delete_after_idx on recordings (delete_after)`.execute(db);
}
