import type { Db } from '../../db/database.ts';
import { chainHash, GENESIS_HASH } from './chain.ts';

export type VerifyResult =
  | { ok: true; rows: number; lastHash: string }
  | { ok: false; rows: number; brokenId: number; reason: 'prev_hash_mismatch' | 'hash_mismatch' };

/** Walks the whole chain in id order (keyset pages) and names the first broken row. */
export async function verifyAuditChain(db: Db, pageSize = 5000): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let lastId = 0;
  let rows = 0;
  for (;;) {
    const page = await db.selectFrom('auditLog').selectAll().where('id', '>', lastId).orderBy('id').limit(pageSize).execute();
    for (const row of page) {
      rows++;
      if (row.prevHash !== prevHash) return { ok: false, rows, brokenId: row.id, reason: 'prev_hash_mismatch' };
      const expected = chainHash(prevHash, {
        at: row.at,
        actorUserId: row.actorUserId,
        actorRole: row.actorRole,
        actorPartnerId: row.actorPartnerId,
        action: row.action,
        targetType: row.targetType,
        targetId: row.targetId,
        ip: row.ip,
        details: row.details,
      });
      if (expected !== row.hash) return { ok: false, rows, brokenId: row.id, reason: 'hash_mismatch' };
      prevHash = row.hash;
      lastId = row.id;
    }
    if (page.length < pageSize) return { ok: true, rows, lastHash: prevHash };
  }
}
