import type { Role } from '@passerelle/shared/roles';
import type { App } from '../src/app.ts';
import { hashPassword } from '../src/lib/passwords.ts';

export const PASSWORD = 'correct-horse-battery';
export const SEAT_IP = '10.20.0.15';
export const OUTSIDE_IP = '192.0.2.44';

export interface Fixture {
  siteId: string;
  partnerA: string;
  partnerB: string;
  users: Record<'admin' | 'trainer' | 'trainee' | 'trainee2' | 'partnerA' | 'partnerB', { id: string; username: string; role: Role }>;
}

let cachedHash: string | undefined;

/** One site with a seat range, two partners, and a user of every role. */
export async function seedFixture(app: App): Promise<Fixture> {
  cachedHash ??= await hashPassword(PASSWORD);
  const site = await app.db.insertInto('sites').values({ name: 'Baie-Mahault', timeZone: 'America/Guadeloupe' }).returning('id').executeTakeFirstOrThrow();
  await app.db.insertInto('workstations').values({ siteId: site.id, name: 'Poste 01', ipRanges: ['10.20.0.0/24', '127.0.0.0/8'] }).execute();
  const [pa, pb] = await app.db.insertInto('partners').values([{ name: 'Partenaire A' }, { name: 'Partenaire B' }]).returning('id').execute();
  const spec = [
    ['admin', 'admin', null, null],
    ['trainer', 'trainer', null, null],
    ['trainee', 'trainee', site.id, null],
    ['trainee2', 'trainee', site.id, null],
    ['partnerA', 'partner', null, pa!.id],
    ['partnerB', 'partner', null, pb!.id],
  ] as const;
  const users = {} as Fixture['users'];
  for (const [key, role, siteId, partnerId] of spec) {
    const row = await app.db
      .insertInto('users')
      .values({ username: `${key.toLowerCase()}@test`, displayName: role === 'trainee' ? `Conseiller ${key}` : key, role, siteId, partnerId, passwordHash: cachedHash })
      .returning(['id', 'username', 'role'])
      .executeTakeFirstOrThrow();
    users[key] = row;
  }
  return { siteId: site.id, partnerA: pa!.id, partnerB: pb!.id, users };
}

export interface LoggedIn {
  cookie: string;
  csrf: string;
  headers: Record<string, string>;
}

/** Logs in through the real endpoint; `headers` carry the cookie and the CSRF token. */
export async function login(app: App, username: string, ip = SEAT_IP, password = PASSWORD): Promise<LoggedIn> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'psid')!;
  const csrf = res.json().csrfToken as string;
  const header = `psid=${cookie.value}`;
  return { cookie: header, csrf, headers: { cookie: header, 'x-csrf-token': csrf } };
}
