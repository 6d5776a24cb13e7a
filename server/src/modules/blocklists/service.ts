import { sql, type Expression, type Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.ts';

type Executor = Db | Transaction<Database>;

export type BlockList = 'justice' | 'suppression' | 'opt_out';

/** Why a number may not be called. `since` is when it was listed. */
export interface BlockHit {
  list: BlockList;
  since: Date;
}

/** Justice entries count until their expiry (if any). */
const justiceLive = sql<boolean>`(expires_at is null or expires_at > now())`;

/**
 * Whether a number (by HMAC) is blocked for this partner: the site-wide justice blocklist first,
 * then the partner's suppression list, then its opt-outs. Used at import and again at dial time.
 */
export async function isBlocked(db: Executor, partnerId: string, phoneHmac: string): Promise<BlockHit | null> {
  const hits = await findBlocked(db, partnerId, [phoneHmac]);
  return hits.get(phoneHmac) ?? null;
}

/**
 * isBlocked as a boolean SQL expression, for a dial-time check inside a larger statement (the
 * token resolver): the same three lists, the justice entries only while live.
 */
export const blockedSql = (partnerId: Expression<string>, phoneHmac: Expression<string>) =>
  sql<boolean>`(exists (select 1 from justice_blocklist where phone_hmac = ${phoneHmac} and ${justiceLive})
    or exists (select 1 from partner_suppressions where partner_id = ${partnerId} and phone_hmac = ${phoneHmac})
    or exists (select 1 from opt_outs where partner_id = ${partnerId} and phone_hmac = ${phoneHmac}))`;

const PRECEDENCE: Record<BlockList, number> = { justice: 0, suppression: 1, opt_out: 2 };

/**
 * Every number blocked for this partner, with its strongest list (same precedence as findBlocked),
 * as a subquery `(phone_hmac, list)`: imports scrub a whole staged file with one join.
 */
export function blockedNumbers(partnerId: string) {
  return sql<{ phoneHmac: string; list: BlockList }>`select distinct on (phone_hmac) phone_hmac, list from (
      select phone_hmac, 'justice' as list, ${PRECEDENCE.justice}::int as rank from justice_blocklist where ${justiceLive}
      union all select phone_hmac, 'suppression', ${PRECEDENCE.suppression}::int from partner_suppressions where partner_id = ${partnerId}::uuid
      union all select phone_hmac, 'opt_out', ${PRECEDENCE.opt_out}::int from opt_outs where partner_id = ${partnerId}::uuid) b
    order by phone_hmac, rank`;
}

/** Batch form of isBlocked: the blocked HMACs among `phoneHmacs`, each with its strongest list. */
export async function findBlocked(db: Executor, partnerId: string, phoneHmacs: readonly string[]): Promise<Map<string, BlockHit>> {
  const found = new Map<string, BlockHit>();
  if (phoneHmacs.length === 0) return found;
  // One array parameter (not one per value): imports check thousands at a time.
  const inList = sql<boolean>`phone_hmac = any(${[...new Set(phoneHmacs)]}::text[])`;
  const rows = await db
    .selectFrom('justiceBlocklist')
    .select([sql<BlockList>`'justice'`.as('list'), 'phoneHmac', 'createdAt'])
    .where(inList)
    .where(justiceLive)
    .unionAll((eb) =>
      eb
        .selectFrom('partnerSuppressions')
        .select([sql<BlockList>`'suppression'`.as('list'), 'phoneHmac', 'createdAt'])
        .where('partnerId', '=', partnerId)
        .where(inList),
    )
    .unionAll((eb) =>
      eb
        .selectFrom('optOuts')
        .select([sql<BlockList>`'opt_out'`.as('list'), 'phoneHmac', 'createdAt'])
        .where('partnerId', '=', partnerId)
        .where(inList),
    )
    .execute();
  for (const row of rows) {
    const current = found.get(row.phoneHmac);
    if (!current || PRECEDENCE[row.list] < PRECEDENCE[current.list]) found.set(row.phoneHmac, { list: row.list, since: row.createdAt });
  }
  return found;
}

/**
 * Records that the person asked not to be called again by this partner (e.g. source `call:<attemptId>`).
 * Idempotent: returns false when the number was already opted out.
 */
export async function addOptOut(db: Executor, partnerId: string, phoneHmac: string, source: string): Promise<boolean> {
  const res = await db
    .insertInto('optOuts')
    .values({ partnerId, phoneHmac, source })
    .onConflict((oc) => oc.columns(['partnerId', 'phoneHmac']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return res !== undefined;
}
