import { type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('campaigns')
    // Retention runs from the campaign's end, or from its creation while it has none.
    .addColumn('ended_at', 'timestamptz')
    // Counts kept when the contacts are purged, so the campaign still reports them.
    .addColumn('purge_counts', 'jsonb')
    .execute();
}
