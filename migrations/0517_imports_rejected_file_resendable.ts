import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A refused file (no valid row, nothing imported) may be sent again, like a failed or cancelled one.
  await sql`drop index imports_campaign_content_uq`.execute(db);
  await sql`create unique index imports_campaign_content_uq on imports (campaign_id, content_sha256)
    where status not in ('cancelled', 'failed', 'rejected')`.execute(db);
}
