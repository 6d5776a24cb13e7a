import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Dialing rows are now written by the statement that stores contacts (contacts/store.ts): the
  // trigger's transition table copied every inserted row, ciphertexts included.
  await sql`drop trigger contacts_dialing_seed on contacts`.execute(db);
  await sql`drop function contacts_dialing_seed()`.execute(db);
}
