import { sql, type Insertable, type Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.ts';
import type { ContactsTable } from './tables.ts';

/** The columns `dialingRowsFrom` reads, for an `insert into contacts … returning` feeding it. */
export const DIALING_SOURCE_COLUMNS = sql`id, campaign_id, partner_id, phone_hmac, territory, time_zone, language`;

/**
 * Every stored contact gets its dialing row in the statement that stores it, and its campaign
 * the contact's callee zone (the hopper's list of zones to check windows for). Not a trigger: a
 * statement trigger's transition table copies every inserted row, ciphertexts included, which
 * cost a third of a million-row import. `source` is a relation of new contacts rows; the result
 * is two CTEs, `dialing` (one row per dialing row) and `zones`, to follow a `with`.
 */
export const dialingRowsFrom = (source: string) =>
  sql`dialing as (insert into contacts_dialing (contact_id, campaign_id, partner_id, phone_hmac, territory, time_zone, language)
      select ${DIALING_SOURCE_COLUMNS} from ${sql.table(source)} returning campaign_id, territory, time_zone),
    zones as (insert into campaign_zones (campaign_id, territory, time_zone)
      select distinct campaign_id, territory, time_zone from dialing on conflict do nothing)`;

/** Stores sealed contacts (seeds, fixtures) with their dialing rows; returns their ids in order. */
export async function storeContacts(db: Db | Transaction<Database>, rows: Insertable<ContactsTable>[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await db.insertInto('contacts').values(rows).returning('id').execute();
  const ids = inserted.map((r) => r.id);
  await sql`with stored as (select ${DIALING_SOURCE_COLUMNS} from contacts where id = any(${ids}::uuid[])), ${dialingRowsFrom('stored')} select 1`.execute(db);
  return ids;
}
