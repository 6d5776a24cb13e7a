import { sql, type Transaction } from 'kysely';
import { maskedCard, type MaskingPolicy } from '@passerelle/shared/masking';
import type { Database } from '../../db/database.ts';
import type { Vault } from '../vault/vault.ts';
import { openPhones, openPii } from './pii.ts';

const BATCH = 1000;

/**
 * Recomputes every contact's masked card after the campaign's masking policy changed, so agents
 * never keep seeing fields the partner has since hidden. Runs inside the caller's transaction.
 */
export async function remaskContacts(trx: Transaction<Database>, vault: Vault, campaignId: string, policy: MaskingPolicy): Promise<number> {
  const key = await vault.keyFor(campaignId, trx);
  let after = '00000000-0000-0000-0000-000000000000';
  let total = 0;
  for (;;) {
    const rows = await trx
      .selectFrom('contacts')
      .select(['id', 'phonesCipher', 'piiCipher'])
      .where('campaignId', '=', campaignId)
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) return total;
    const values = rows.map((r) => {
      const pii = openPii(vault, key, r.piiCipher);
      const card = maskedCard({ ...pii, phone: openPhones(vault, key, r.phonesCipher)[0] ?? null }, policy);
      return sql`(${r.id}::uuid, ${JSON.stringify(card)}::jsonb)`;
    });
    await sql`update contacts set masked = v.masked from (values ${sql.join(values)}) as v(id, masked) where contacts.id = v.id`.execute(trx);
    total += rows.length;
    after = rows[rows.length - 1]!.id;
  }
}
