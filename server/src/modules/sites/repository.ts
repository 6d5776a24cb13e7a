import type { Transaction, Updateable } from 'kysely';
import type { Database, Db } from '../../db/database.ts';
import type { WorkstationsTable } from '../users/tables.ts';

export class SitesRepository {
  constructor(private readonly db: Db) {}

  listSites() {
    return this.db.selectFrom('sites').selectAll().orderBy('name').execute();
  }

  insertSite(trx: Transaction<Database>, row: { name: string; timeZone: string }) {
    return trx.insertInto('sites').values(row).returningAll().executeTakeFirstOrThrow();
  }

  siteExists(id: string) {
    return this.db.selectFrom('sites').select('id').where('id', '=', id).executeTakeFirst().then(Boolean);
  }

  listWorkstations(siteId: string | undefined) {
    let q = this.db.selectFrom('workstations').selectAll().orderBy('siteId').orderBy('name');
    if (siteId) q = q.where('siteId', '=', siteId);
    return q.execute();
  }

  findWorkstation(id: string) {
    return this.db.selectFrom('workstations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  insertWorkstation(trx: Transaction<Database>, row: { siteId: string; name: string; ipRanges: string[] }) {
    return trx.insertInto('workstations').values(row).returningAll().executeTakeFirstOrThrow();
  }

  updateWorkstation(trx: Transaction<Database>, id: string, changes: Updateable<WorkstationsTable>) {
    return trx.updateTable('workstations').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
  }

  deleteWorkstation(trx: Transaction<Database>, id: string) {
    return trx.deleteFrom('workstations').where('id', '=', id).returning('id').executeTakeFirst();
  }
}
