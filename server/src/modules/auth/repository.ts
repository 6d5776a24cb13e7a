import type { ExpressionBuilder } from 'kysely';
import type { Database, Db } from '../../db/database.ts';

/** `active`: the user and, for partner users, the partner company are both active. */
const accountActive = (eb: ExpressionBuilder<Database, 'users' | 'partners'>) =>
  eb.and([eb('users.active', '=', true), eb.or([eb('partners.active', 'is', null), eb('partners.active', '=', true)])]).as('active');

export class AuthRepository {
  constructor(private readonly db: Db) {}

  /** `active` is false when the user or the user's partner company is deactivated. */
  findUserByUsername(username: string) {
    return this.db
      .selectFrom('users')
      .leftJoin('partners', 'partners.id', 'users.partnerId')
      .selectAll('users')
      .select(accountActive)
      .where('users.username', '=', username)
      .executeTakeFirst();
  }

  /** Ranges of the active workstations of a site: the only places a trainee may log in from. */
  async siteWorkstationRanges(siteId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('workstations').select('ipRanges').where('siteId', '=', siteId).where('active', '=', true).execute();
    return rows.flatMap((r) => r.ipRanges);
  }

  recordFailure(userId: string, maxFailures: number, lockMinutes: number) {
    return this.db
      .updateTable('users')
      .set((eb) => ({
        failedLogins: eb('failedLogins', '+', 1),
        lockedUntil: eb
          .case()
          .when('failedLogins', '>=', maxFailures - 1)
          .then(new Date(Date.now() + lockMinutes * 60_000))
          .else(eb.ref('lockedUntil'))
          .end(),
      }))
      .where('id', '=', userId)
      .returning(['failedLogins', 'lockedUntil'])
      .executeTakeFirstOrThrow();
  }

  resetFailures(userId: string) {
    return this.db.updateTable('users').set({ failedLogins: 0, lockedUntil: null }).where('id', '=', userId).execute();
  }

  insertSession(row: { id: string; userId: string; csrfToken: string; ip: string; userAgent: string; expiresAt: Date }) {
    return this.db.insertInto('sessions').values({ ...row, lastSeenAt: new Date() }).execute();
  }

  findActiveSession(id: string) {
    return this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.userId')
      .leftJoin('partners', 'partners.id', 'users.partnerId')
      .select(accountActive)
      .select([
        'sessions.id as sessionId',
        'sessions.csrfToken',
        'sessions.ip',
        'sessions.lastSeenAt',
        'sessions.expiresAt',
        'users.id as userId',
        'users.role',
        'users.username',
        'users.displayName',
        'users.siteId',
        'users.partnerId',
        'users.locale',
      ])
      .where('sessions.id', '=', id)
      .where('sessions.revokedAt', 'is', null)
      .executeTakeFirst();
  }

  touchSession(id: string) {
    return this.db.updateTable('sessions').set({ lastSeenAt: new Date() }).where('id', '=', id).execute();
  }

  revokeSession(id: string) {
    return this.db.updateTable('sessions').set({ revokedAt: new Date() }).where('id', '=', id).where('revokedAt', 'is', null).execute();
  }

  revokeUserSessions(userId: string) {
    return this.db.updateTable('sessions').set({ revokedAt: new Date() }).where('userId', '=', userId).where('revokedAt', 'is', null).execute();
  }

  findApiKeyByHash(keyHash: string) {
    return this.db
      .selectFrom('partnerApiKeys')
      .innerJoin('partners', 'partners.id', 'partnerApiKeys.partnerId')
      .select(['partnerApiKeys.id', 'partnerApiKeys.partnerId', 'partnerApiKeys.lastUsedAt', 'partnerApiKeys.revokedAt', 'partners.active'])
      .where('partnerApiKeys.keyHash', '=', keyHash)
      .executeTakeFirst();
  }

  touchApiKey(id: string) {
    return this.db.updateTable('partnerApiKeys').set({ lastUsedAt: new Date() }).where('id', '=', id).execute();
  }
}
