import { sql, type Insertable, type Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.ts';
import type { ContactsTable } from './tables.ts';

/** The columns `dialingRowsFrom` reads, for an `insert into contacts … returning` feeding it. */
export const DIALING_SOURCE_COLUMNS = sql`id, campaign_id, partner_id, phone_hmac, territory, time_zone, language`;

/**
 * Every stored contact gets its dialing row in the statement that stores it. (Not a trigger: a
 * statement trigger's transition table copies every inserted row, ciphertexts included, which
 * cost a third of a million-row import.) `source` is a relation of new contacts rows.
 */
export const dialingRowsFrom = (source: string) =>
  sql`insert into contacts_dialing (contact_id, campaign_id, partner_id, phone_hmac, territory, time_zone, language)
    select ${DIALING_SOURCE_COLUMNS} from ${sql.table(source)}`;

/** Stores sealed contacts (seeds, fixtures) with their dialing rows; returns their ids in order. */
export async function storeContacts(db: Db | Transaction<Database>, rows: Insertable<ContactsTable>[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await db.insertInto('contacts').values(rows).returning('id').execute();
  const ids = inserted.map((r) => r.id);
  await sql`${dialingRowsFrom('contacts')} where id = any(${ids}::uuid[])`.execute(db);
  return ids;
}
