import type { Transaction, Updateable } from 'kysely';
import type { Database, Db } from '../../db/database.ts';
import type { UsersTable } from './tables.ts';

/** Columns safe to return: everything but the password hash and the failure counter. */
const publicColumns = [
  'id',
  'username',
  'displayName',
  'role',
  'siteId',
  'partnerId',
  'locale',
  'languageSkills',
  'active',
  'lockedUntil',
  'createdAt',
  'updatedAt',
] as const;

export interface UserFilter {
  role?: UsersTable['role'];
  siteId?: string;
  partnerId?: string;
  active?: boolean;
  q?: string;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export class UsersRepository {
  constructor(private readonly db: Db) {}

  list(filter: UserFilter) {
    let q = this.db.selectFrom('users').select(publicColumns).orderBy('role').orderBy('username').limit(2000);
    if (filter.role) q = q.where('role', '=', filter.role);
    if (filter.siteId) q = q.where('siteId', '=', filter.siteId);
    if (filter.partnerId) q = q.where('partnerId', '=', filter.partnerId);
    if (filter.active !== undefined) q = q.where('active', '=', filter.active);
    if (filter.q) {
      const like = `%${escapeLike(filter.q)}%`;
      q = q.where((eb) => eb.or([eb('username', 'ilike', like), eb('displayName', 'ilike', like)]));
    }
    return q.execute();
  }

  listTrainees(siteId: string | undefined) {
    let q = this.db
      .selectFrom('users')
      .select(['id', 'displayName', 'siteId', 'languageSkills', 'active'])
      .where('role', '=', 'trainee')
      .orderBy('displayName');
    if (siteId) q = q.where('siteId', '=', siteId);
    return q.execute();
  }

  findById(id: string, trx: Db | Transaction<Database> = this.db) {
    return trx.selectFrom('users').select(publicColumns).where('id', '=', id).executeTakeFirst();
  }

  insert(
    trx: Transaction<Database>,
    row: {
      username: string;
      displayName: string;
      role: UsersTable['role'];
      passwordHash: string;
      siteId: string | null;
      partnerId: string | null;
      locale?: string;
      languageSkills?: string[];
    },
  ) {
    return trx.insertInto('users').values(row).returning(publicColumns).executeTakeFirstOrThrow();
  }

  update(trx: Transaction<Database>, id: string, changes: Updateable<UsersTable>) {
    return trx
      .updateTable('users')
      .set({ ...changes, updatedAt: new Date() })
      .where('id', '=', id)
      .returning(publicColumns)
      .executeTakeFirstOrThrow();
  }

  revokeSessions(trx: Transaction<Database>, userId: string) {
    return trx.updateTable('sessions').set({ revokedAt: new Date() }).where('userId', '=', userId).where('revokedAt', 'is', null).execute();
  }

  siteExists(id: string) {
    return this.db.selectFrom('sites').select('id').where('id', '=', id).executeTakeFirst().then(Boolean);
  }

  partnerExists(id: string) {
    return this.db.selectFrom('partners').select('id').where('id', '=', id).executeTakeFirst().then(Boolean);
  }
}
