import type { Transaction, Updateable } from 'kysely';
import type { Database, Db } from '../../db/database.ts';
import type { PartnersTable } from '../users/tables.ts';

const keyColumns = ['id', 'partnerId', 'name', 'prefix', 'createdAt', 'lastUsedAt', 'revokedAt'] as const;

export class PartnersRepository {
  constructor(private readonly db: Db) {}

  list() {
    return this.db.selectFrom('partners').selectAll().orderBy('name').execute();
  }

  findById(id: string) {
    return this.db.selectFrom('partners').selectAll().where('id', '=', id).executeTakeFirst();
  }

  insert(trx: Transaction<Database>, name: string) {
    return trx.insertInto('partners').values({ name }).returningAll().executeTakeFirstOrThrow();
  }

  update(trx: Transaction<Database>, id: string, changes: Updateable<PartnersTable>) {
    return trx.updateTable('partners').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
  }

  /** Ends the open sessions of every user of a partner. */
  async revokeUserSessions(trx: Transaction<Database>, partnerId: string): Promise<number> {
    const res = await trx
      .updateTable('sessions')
      .set({ revokedAt: new Date() })
      .where('revokedAt', 'is', null)
      .where('userId', 'in', (eb) => eb.selectFrom('users').select('id').where('partnerId', '=', partnerId))
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  listKeys(partnerId: string) {
    return this.db.selectFrom('partnerApiKeys').select(keyColumns).where('partnerId', '=', partnerId).orderBy('createdAt', 'desc').execute();
  }

  insertKey(trx: Transaction<Database>, row: { partnerId: string; name: string; prefix: string; keyHash: string; createdBy: string | null }) {
    return trx.insertInto('partnerApiKeys').values(row).returning(keyColumns).executeTakeFirstOrThrow();
  }

  /** Scoped by partner: another partner's key id is simply not found. */
  findKey(partnerId: string, keyId: string) {
    return this.db.selectFrom('partnerApiKeys').select(keyColumns).where('partnerId', '=', partnerId).where('id', '=', keyId).executeTakeFirst();
  }

  revokeKey(trx: Transaction<Database>, partnerId: string, keyId: string) {
    return trx
      .updateTable('partnerApiKeys')
      .set({ revokedAt: new Date() })
      .where('partnerId', '=', partnerId)
      .where('id', '=', keyId)
      .where('revokedAt', 'is', null)
      .returning('id')
      .executeTakeFirst();
  }
}
