import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeed } from '../../scripts/lib/seed.ts';
import { DEMO_PASSWORD, DEMO_USERS } from '../../scripts/lib/demo-data.ts';
import { DEMO_CAMPAIGN_NAME } from '../../scripts/seed/20-demo-campaign.ts';
import { openPhones, openPii } from '../src/modules/contacts/pii.ts';
import { startTestApp, type TestContext } from './app.ts';
import { login as loginAs } from './fixtures.ts';

/** Row count of every table but the append-only audit log. */
async function tableCounts(ctx: TestContext): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not in ('audit_log', 'kysely_migration', 'kysely_migration_lock')`.execute(ctx.app.db);
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)}`.execute(ctx.app.db);
    counts[name] = r.rows[0]!.n;
  }
  return counts;
}

const login = (ctx: TestContext, username: string, ip: string) =>
  ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD }, remoteAddress: ip });

describe('demo seed (npm run seed)', () => {
  let ctx: TestContext;
  const seed = () => runSeed({ db: ctx.app.db, config: ctx.config, audit: ctx.app.audit, log: () => {} });

  beforeAll(async () => {
    ctx = await startTestApp();
    await seed();
  });
  afterAll(() => ctx?.close());

  it('creates the site, eight seats, the partner and every printed login', async () => {
    const site = await ctx.app.db.selectFrom('sites').selectAll().where('name', '=', 'Centre pénitentiaire de Baie-Mahault').executeTakeFirstOrThrow();
    expect(site.timeZone).toBe('America/Guadeloupe');
    const seats = await ctx.app.db.selectFrom('workstations').select(['name', 'ipRanges']).where('siteId', '=', site.id).orderBy('name').execute();
    expect(seats.map((s) => s.name)).toEqual(['Poste 01', 'Poste 02', 'Poste 03', 'Poste 04', 'Poste 05', 'Poste 06', 'Poste 07', 'Poste 08']);
    expect(seats[0]!.ipRanges).toEqual(['127.0.0.1/32', '::1/128']);
    const users = await ctx.app.db.selectFrom('users').select(['username', 'role']).execute();
    const byRole = (role: string) => users.filter((u) => u.role === role).length;
    expect([byRole('admin'), byRole('trainer'), byRole('trainee'), byRole('partner')]).toEqual([1, 2, 4, 1]);
    for (const u of DEMO_USERS) expect((await login(ctx, u.username, '127.0.0.1')).statusCode).toBe(200);
  });

  it('starts a running appointment campaign with the four trainees, slots and 40 sealed synthetic contacts', async () => {
    const db = ctx.app.db;
    const c = await db.selectFrom('campaigns').selectAll().where('name', '=', DEMO_CAMPAIGN_NAME).executeTakeFirstOrThrow();
    expect([c.type, c.status, c.defaultRegion]).toEqual(['appointment', 'running', 'GP']);
    const engine = await ctx.app.inject({ method: 'GET', url: `/api/campaigns/${c.id}/dialing`, headers: (await loginAs(ctx.app, 'admin', '127.0.0.1', DEMO_PASSWORD)).headers, remoteAddress: '127.0.0.1' });
    expect(engine.statusCode).toBe(200);
    expect(engine.json()).toMatchObject({ status: 'running', dialingMode: 'preview', callerId: '+590947500000' });
    expect(engine.json().traineeIds).toHaveLength(4);
    const slots = await db.selectFrom('appointmentSlots').select(['startsAt']).where('campaignId', '=', c.id).execute();
    expect(slots.length).toBe(9);
    expect(slots.every((s) => s.startsAt > new Date())).toBe(true);

    const contacts = await db.selectFrom('contacts').selectAll().where('campaignId', '=', c.id).execute();
    expect(contacts).toHaveLength(40);
    expect(contacts.every((x) => x.legalBasis === 'contract' && x.territory === 'GP')).toBe(true);
    const pending = await db.selectFrom('contactsDialing').select('contactId').where('campaignId', '=', c.id).where('status', '=', 'pending').execute();
    expect(pending).toHaveLength(40);
    // Sealed like an import: the vault opens them, the HMAC matches, the card masks the number.
    const key = await ctx.app.vault.keyFor(c.id);
    const phones = contacts.map((x) => openPhones(ctx.app.vault, key, x.phonesCipher)[0]!);
    expect(phones.every((p) => /^\+59069000\d{4}$/.test(p))).toBe(true);
    expect(contacts.every((x, i) => x.phoneHmac === ctx.app.vault.phoneHmac(phones[i]!))).toBe(true);
    expect(openPii(ctx.app.vault, key, contacts[0]!.piiCipher).lastName).toBeTruthy();
    expect(JSON.stringify(contacts.map((x) => x.masked))).not.toContain(phones[0]!.slice(-4));
    // Mostly the trunk's "answer" range (4th digit from the end 0).
    expect(phones.filter((p) => p.at(-4) === '0').length).toBeGreaterThan(20);
  });

  it('lets trainees in from the demo seats only', async () => {
    expect((await login(ctx, 'conseiller02', '::1')).statusCode).toBe(200);
    const outside = await login(ctx, 'conseiller02', '192.0.2.44');
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.code).toBe('WORKSTATION_REQUIRED');
  });

  it('is idempotent and restores the printed logins when re-run', async () => {
    const before = await tableCounts(ctx);
    await ctx.app.db.updateTable('users').set({ lockedUntil: new Date(Date.now() + 3_600_000), failedLogins: 9 }).where('username', '=', 'conseiller03').execute();
    expect((await login(ctx, 'conseiller03', '127.0.0.1')).statusCode).not.toBe(200);
    await seed();
    const after = await tableCounts(ctx);
    // Sessions grow with the logins above; every seeded table keeps its size.
    delete before.sessions;
    delete after.sessions;
    expect(after).toEqual(before);
    expect((await login(ctx, 'conseiller03', '127.0.0.1')).statusCode).toBe(200);
  });

  it('refuses to run in production', async () => {
    await expect(runSeed({ db: ctx.app.db, config: { ...ctx.config, NODE_ENV: 'production' }, audit: ctx.app.audit, log: () => {} })).rejects.toThrow(/production/);
  });
});
