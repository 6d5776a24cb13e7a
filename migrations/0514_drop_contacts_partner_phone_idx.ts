import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // No query looks contacts up by partner and number (opt-outs, suppressions and number history
  // have their own indexes); the index cost every import a random insert per row.
  await sql`drop index contacts_partner_phone_idx`.execute(db);
}
