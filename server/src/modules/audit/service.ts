import { sql, type Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.ts';
import { chainHash, GENESIS_HASH, type AuditEntryContent } from './chain.ts';

/** Serializes writers of the chain; held until the writer's transaction ends. */
const AUDIT_LOCK_KEY = 7_243_001;

export interface AuditActor {
  userId: string | null;
  role: string | null;
  partnerId?: string | null;
  ip?: string | null;
}

export interface AuditEvent {
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

type Executor = Db | Transaction<Database>;

export class AuditService {
  constructor(private readonly db: Db) {}

  /** Appends one entry. Pass `trx` to make the entry part of the audited change itself. */
  async record(actor: AuditActor, event: AuditEvent, trx?: Transaction<Database>): Promise<void> {
    if (trx) return this.append(trx, actor, event);
    await this.db.transaction().execute((t) => this.append(t, actor, event));
  }

  private async append(trx: Executor, actor: AuditActor, event: AuditEvent): Promise<void> {
    await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
    const last = await trx.selectFrom('auditLog').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
    const prevHash = last?.hash ?? GENESIS_HASH;
    // Millisecond precision survives the timestamptz round trip exactly.
    const content: AuditEntryContent = {
      at: new Date(),
      actorUserId: actor.userId,
      actorRole: actor.role,
      actorPartnerId: actor.partnerId ?? null,
      action: event.action,
      targetType: event.targetType ?? null,
      targetId: event.targetId ?? null,
      ip: actor.ip ?? null,
      details: event.details ?? {},
    };
    await trx
      .insertInto('auditLog')
      .values({ ...content, details: JSON.stringify(content.details), prevHash, hash: chainHash(prevHash, content) })
      .execute();
  }
}
