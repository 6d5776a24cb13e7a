import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.ts';

const justiceColumns = ['id', 'phoneHmac', 'reason', 'expiresAt', 'createdBy', 'createdAt'] as const;

export class BlocklistRepository {
  constructor(private readonly db: Db) {}

  listJustice(limit: number, offset: number) {
    return this.db.selectFrom('justiceBlocklist').select(justiceColumns).orderBy('createdAt', 'desc').orderBy('id').limit(limit).offset(offset).execute();
  }

  async countJustice(): Promise<number> {
    const row = await this.db.selectFrom('justiceBlocklist').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    return row.n;
  }

  findJustice(phoneHmac: string) {
    return this.db.selectFrom('justiceBlocklist').select(justiceColumns).where('phoneHmac', '=', phoneHmac).execute();
  }

  /** Inserts, or returns undefined when the number is already listed. */
  insertJustice(trx: Transaction<Database>, entry: { phoneHmac: string; reason: string; expiresAt: Date | null; createdBy: string | null }) {
    return trx
      .insertInto('justiceBlocklist')
      .values(entry)
      .onConflict((oc) => oc.column('phoneHmac').doNothing())
      .returning(justiceColumns)
      .executeTakeFirst();
  }

  /** Removes the number's entry if it has expired (it no longer blocks); returns it. */
  deleteExpiredJustice(trx: Transaction<Database>, phoneHmac: string) {
    return trx.deleteFrom('justiceBlocklist').where('phoneHmac', '=', phoneHmac).where('expiresAt', '<=', sql<Date>`now()`).returning('id').executeTakeFirst();
  }

  deleteJustice(trx: Transaction<Database>, id: string) {
    return trx.deleteFrom('justiceBlocklist').where('id', '=', id).returning(['id', 'phoneHmac']).executeTakeFirst();
  }

  /** Adds the HMACs not yet suppressed for the partner; returns how many were new. */
  async addSuppressions(trx: Transaction<Database>, partnerId: string, hmacs: readonly string[], createdBy: string | null): Promise<number> {
    if (hmacs.length === 0) return 0;
    const rows = await trx
      .insertInto('partnerSuppressions')
      .values(hmacs.map((phoneHmac) => ({ partnerId, phoneHmac, createdBy })))
      .onConflict((oc) => oc.columns(['partnerId', 'phoneHmac']).doNothing())
      .returning('id')
      .execute();
    return rows.length;
  }

  async partnerCounts(partnerId: string): Promise<{ suppressions: number; optOuts: number }> {
    const row = await this.db
      .selectNoFrom((eb) => [
        eb.selectFrom('partnerSuppressions').where('partnerId', '=', partnerId).select(sql<number>`count(*)::int`.as('n')).as('suppressions'),
        eb.selectFrom('optOuts').where('partnerId', '=', partnerId).select(sql<number>`count(*)::int`.as('n')).as('optOuts'),
      ])
      .executeTakeFirstOrThrow();
    return { suppressions: row.suppressions ?? 0, optOuts: row.optOuts ?? 0 };
  }
}
