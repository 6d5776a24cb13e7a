import type { Db } from '../../db/database.ts';

export interface AuditFilter {
  /** Action prefix (`auth.` → auth.login, auth.logout…). */
  action?: string;
  actorUserId?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  /** Keyset cursor: only rows with a smaller id. */
  before?: number;
  limit: number;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export class AuditRepository {
  constructor(private readonly db: Db) {}

  /** Newest first, keyset-paginated on id (the chain order). */
  list(f: AuditFilter) {
    let q = this.db
      .selectFrom('auditLog')
      .select(['id', 'at', 'actorUserId', 'actorRole', 'actorPartnerId', 'action', 'targetType', 'targetId', 'ip', 'details', 'hash'])
      .orderBy('id', 'desc')
      .limit(f.limit);
    if (f.action) q = q.where('action', 'like', `${escapeLike(f.action)}%`);
    if (f.actorUserId) q = q.where('actorUserId', '=', f.actorUserId);
    if (f.targetType) q = q.where('targetType', '=', f.targetType);
    if (f.targetId) q = q.where('targetId', '=', f.targetId);
    if (f.from) q = q.where('at', '>=', f.from);
    if (f.to) q = q.where('at', '<', f.to);
    if (f.before) q = q.where('id', '<', f.before);
    return q.execute();
  }
}
