import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenLocally, startTestApp, type TestContext } from './app.ts';
import { openClient, type AgentClient } from './dialer-fixtures.ts';
import { login, OUTSIDE_IP, PASSWORD, SEAT_IP, seedFixture, type Fixture, type LoggedIn } from './fixtures.ts';

let ctx: TestContext;
let fx: Fixture;
let admin: LoggedIn;

beforeAll(async () => {
  ctx = await startTestApp({ LOGIN_RATE_PER_MIN: '1000' });
  fx = await seedFixture(ctx.app);
  admin = await login(ctx.app, fx.users.admin.username, OUTSIDE_IP);
});
afterAll(() => ctx?.close());

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const call = (method: Method, url: string, as: LoggedIn | { headers: Record<string, string> }, payload?: unknown, ip = OUTSIDE_IP) =>
  ctx.app.inject({ method, url, headers: as.headers, remoteAddress: ip, ...(payload === undefined ? {} : { payload: payload as object }) });

const auditRows = (targetId: string) =>
  ctx.app.db.selectFrom('auditLog').select(['action', 'actorUserId', 'details']).where('targetId', '=', targetId).orderBy('id').execute();

describe('users', () => {
  it('creates a trainee, never returns the password hash, audits it, and the trainee can log in from a seat', async () => {
    const res = await call('POST', '/api/admin/users', admin, {
      username: 'conseiller42',
      displayName: 'Conseiller 42',
      role: 'trainee',
      password: 'un-mot-de-passe-long',
      siteId: fx.siteId,
      languageSkills: ['fr', 'gcf'],
    });
    expect(res.statusCode).toBe(201);
    const user = res.json();
    expect(user).toMatchObject({ username: 'conseiller42', role: 'trainee', siteId: fx.siteId, languageSkills: ['fr', 'gcf'], active: true });
    expect(res.body).not.toMatch(/passwordHash|argon2|un-mot-de-passe-long/);
    const rows = await auditRows(user.id);
    expect(rows.map((r) => r.action)).toEqual(['user.created']);
    expect(rows[0]!.actorUserId).toBe(fx.users.admin.id);
    expect(JSON.stringify(rows[0]!.details)).not.toContain('un-mot-de-passe-long');
    await login(ctx.app, 'conseiller42', SEAT_IP, 'un-mot-de-passe-long');

    const list = await call('GET', '/api/admin/users?role=trainee&q=conseiller42', admin);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((u: { id: string }) => u.id)).toEqual([user.id]);
    expect(list.body).not.toMatch(/passwordHash|argon2/);
  });

  it('validates role scope, password policy and unique usernames', async () => {
    const base = { username: 'x-user', displayName: 'X', password: 'un-mot-de-passe-long' };
    const codes = async (body: object) => (await call('POST', '/api/admin/users', admin, { ...base, ...body })).json().error?.code;
    expect(await codes({ role: 'trainee' })).toBe('SITE_REQUIRED');
    expect(await codes({ role: 'partner' })).toBe('PARTNER_REQUIRED');
    expect(await codes({ role: 'trainer', partnerId: fx.partnerA })).toBe('PARTNER_NOT_ALLOWED');
    expect(await codes({ role: 'partner', partnerId: crypto.randomUUID() })).toBe('UNKNOWN_PARTNER');
    expect(await codes({ role: 'trainee', siteId: crypto.randomUUID() })).toBe('UNKNOWN_SITE');
    expect(await codes({ role: 'trainer', password: 'court' })).toBe('WEAK_PASSWORD');
    expect(await codes({ role: 'trainer', username: fx.users.trainer.username.toUpperCase() })).toBe('USERNAME_TAKEN');
    expect(await codes({ role: 'trainer', displayName: '' })).toBe('VALIDATION_ERROR');
  });

  it('changing a role or deactivating revokes the user’s sessions and is audited', async () => {
    const created = (await call('POST', '/api/admin/users', admin, { username: 'formateur9', displayName: 'Formateur 9', role: 'trainer', password: PASSWORD })).json();
    const s = await login(ctx.app, 'formateur9', OUTSIDE_IP);
    expect((await call('GET', '/api/trainees', s)).statusCode).toBe(200);

    const promoted = await call('PATCH', `/api/admin/users/${created.id}`, admin, { role: 'admin' });
    expect(promoted.statusCode).toBe(200);
    expect(promoted.json().role).toBe('admin');
    expect((await call('GET', '/api/auth/session', s)).statusCode).toBe(401);

    const s2 = await login(ctx.app, 'formateur9', OUTSIDE_IP);
    const off = await call('PATCH', `/api/admin/users/${created.id}`, admin, { active: false });
    expect(off.json().active).toBe(false);
    expect((await call('GET', '/api/auth/session', s2)).statusCode).toBe(401);
    const relogin = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'formateur9', password: PASSWORD }, remoteAddress: OUTSIDE_IP });
    expect(relogin.statusCode).toBe(401);

    const actions = (await auditRows(created.id)).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['user.created', 'user.updated', 'user.role_changed', 'user.deactivated', 'user.sessions_revoked']));
    const roleRow = (await auditRows(created.id)).find((r) => r.action === 'user.role_changed')!;
    expect(roleRow.details).toEqual({ from: 'trainer', to: 'admin' });
  });

  it('a trainee deactivated during a shift is off the floor at once and its console closed', async () => {
    const created = (await call('POST', '/api/admin/users', admin, { username: 'stagiaire9', displayName: 'Stagiaire 9', role: 'trainee', siteId: fx.siteId, password: PASSWORD })).json();
    // From the seat the console's socket comes from (the session is bound to its address).
    const trainee = await login(ctx.app, 'stagiaire9', '127.0.0.1');
    const url = await listenLocally(ctx.app);
    const opened: { disconnect(): void }[] = [];
    try {
      const { socket } = await openClient<AgentClient>(url, '/agent', trainee.headers.cookie!, opened);
      expect((await ctx.app.db.selectFrom('agentPresence').select('status').where('userId', '=', created.id).executeTakeFirstOrThrow()).status).not.toBe('offline');
      const closed = new Promise<void>((resolve) => socket.on('disconnect', () => resolve()));
      expect((await call('PATCH', `/api/admin/users/${created.id}`, admin, { active: false })).statusCode).toBe(200);
      await closed;
      expect((await ctx.app.db.selectFrom('agentPresence').select('status').where('userId', '=', created.id).executeTakeFirstOrThrow()).status).toBe('offline');
      expect((await auditRows(created.id)).map((r) => r.action)).toContain('agent.force_logout');
    } finally {
      for (const s of opened) s.disconnect();
    }
  });

  it('resets a password (unlocking the account) and enforces the policy', async () => {
    const id = fx.users.trainee2.id;
    await ctx.app.db.updateTable('users').set({ failedLogins: 9, lockedUntil: new Date(Date.now() + 3_600_000) }).where('id', '=', id).execute();
    expect((await call('PATCH', `/api/admin/users/${id}`, admin, { password: 'court' })).json().error.code).toBe('WEAK_PASSWORD');
    const res = await call('PATCH', `/api/admin/users/${id}`, admin, { password: 'nouveau-mot-de-passe' });
    expect(res.statusCode).toBe(200);
    expect(res.json().lockedUntil).toBeNull();
    await login(ctx.app, fx.users.trainee2.username, SEAT_IP, 'nouveau-mot-de-passe');
    expect((await auditRows(id)).map((r) => r.action)).toContain('user.password_reset');
  });

  it('moves a partner user to a staff role, dropping the partner link', async () => {
    const created = (await call('POST', '/api/admin/users', admin, { username: 'p-user', displayName: 'P', role: 'partner', partnerId: fx.partnerA, password: PASSWORD })).json();
    expect(created.partnerId).toBe(fx.partnerA);
    const res = await call('PATCH', `/api/admin/users/${created.id}`, admin, { role: 'trainer' });
    expect(res.json()).toMatchObject({ role: 'trainer', partnerId: null });
  });

  it('refuses an admin demoting or deactivating themself', async () => {
    const res = await call('PATCH', `/api/admin/users/${fx.users.admin.id}`, admin, { active: false });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('SELF_LOCKOUT');
  });

  it('lists trainees to trainers with pseudonymous fields only', async () => {
    const trainer = await login(ctx.app, fx.users.trainer.username, OUTSIDE_IP);
    const res = await call('GET', '/api/trainees', trainer);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Record<string, unknown>[];
    expect(items.length).toBeGreaterThanOrEqual(2);
    for (const t of items) expect(Object.keys(t).sort()).toEqual(['active', 'displayName', 'id', 'languageSkills', 'siteId']);
    expect((await call('GET', '/api/admin/users', trainer)).statusCode).toBe(403);
  });

  it('a trainer attached to a site lists only that site’s trainees', async () => {
    const other = (await call('POST', '/api/admin/sites', admin, { name: 'Remire-Montjoly', timeZone: 'America/Cayenne' })).json();
    await call('POST', '/api/admin/users', admin, { username: 'formatrice-rm', displayName: 'Formatrice RM', role: 'trainer', siteId: other.id, password: PASSWORD });
    await call('POST', '/api/admin/users', admin, { username: 'conseiller-rm', displayName: 'Conseiller RM', role: 'trainee', siteId: other.id, password: PASSWORD });
    const trainer = await login(ctx.app, 'formatrice-rm', OUTSIDE_IP);
    // Asking for another site does not widen the view.
    const res = await call('GET', `/api/trainees?siteId=${fx.siteId}`, trainer);
    expect(res.json().items.map((t: { displayName: string }) => t.displayName)).toEqual(['Conseiller RM']);
  });
});

describe('sites and workstations', () => {
  it('creates a site and workstations with validated CIDR ranges, updates and deletes them, audited', async () => {
    const badTz = await call('POST', '/api/admin/sites', admin, { name: 'Ducos', timeZone: 'Mars/Olympus' });
    expect(badTz.statusCode).toBe(400);
    const site = (await call('POST', '/api/admin/sites', admin, { name: 'Ducos', timeZone: 'America/Martinique' })).json();
    expect(site.timeZone).toBe('America/Martinique');
    expect((await call('POST', '/api/admin/sites', admin, { name: 'Ducos', timeZone: 'America/Martinique' })).json().error.code).toBe('SITE_NAME_TAKEN');

    const bad = await call('POST', '/api/admin/workstations', admin, { siteId: site.id, name: 'Poste A', ipRanges: ['10.0.0.0/33', 'not-an-ip'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'INVALID_CIDR', details: { invalid: ['10.0.0.0/33', 'not-an-ip/32'] } });
    // Host bits set (PostgreSQL's cidr refuses them: it was a 500), or wide enough to let anyone in.
    for (const [range, said] of [['10.1.2.3/24', 'écrivez 10.1.2.0/24'], ['0.0.0.0/0', 'trop large'], ['::/0', 'trop large'], ['10.0.0.0/8', 'trop large']] as const) {
      const refused = await call('POST', '/api/admin/workstations', admin, { siteId: site.id, name: 'Poste A', ipRanges: [range] });
      expect(refused.statusCode, range).toBe(400);
      expect(refused.json().error, range).toMatchObject({ code: 'INVALID_CIDR', message: expect.stringContaining(said), details: { invalid: [range] } });
    }

    const ws = await call('POST', '/api/admin/workstations', admin, { siteId: site.id, name: 'Poste A', ipRanges: ['10.30.0.0/24', '10.30.1.7', '2001:db8::/64'] });
    expect(ws.statusCode).toBe(201);
    expect(ws.json().ipRanges).toEqual(['10.30.0.0/24', '10.30.1.7/32', '2001:db8::/64']);
    const wsId = ws.json().id as string;
    expect((await call('POST', '/api/admin/workstations', admin, { siteId: site.id, name: 'Poste A', ipRanges: ['10.30.2.0/24'] })).json().error.code).toBe(
      'WORKSTATION_NAME_TAKEN',
    );

    const listed = await call('GET', `/api/admin/workstations?siteId=${site.id}`, admin);
    expect(listed.json().items.map((w: { id: string }) => w.id)).toEqual([wsId]);

    const patched = await call('PATCH', `/api/admin/workstations/${wsId}`, admin, { active: false, ipRanges: ['10.30.9.0/24'] });
    expect(patched.json()).toMatchObject({ active: false, ipRanges: ['10.30.9.0/24'] });
    expect((await call('DELETE', `/api/admin/workstations/${wsId}`, admin)).statusCode).toBe(204);
    expect((await call('DELETE', `/api/admin/workstations/${wsId}`, admin)).statusCode).toBe(404);
    expect((await auditRows(wsId)).map((r) => r.action)).toEqual(['workstation.created', 'workstation.updated', 'workstation.deleted']);
    expect((await auditRows(site.id)).map((r) => r.action)).toEqual(['site.created']);
  });

  it('a new workstation range lets a trainee of that site log in from it', async () => {
    const refused = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: fx.users.trainee.username, password: PASSWORD }, remoteAddress: '10.99.0.5' });
    expect(refused.statusCode).toBe(403);
    await call('POST', '/api/admin/workstations', admin, { siteId: fx.siteId, name: 'Poste 99', ipRanges: ['10.99.0.5/32'] });
    await login(ctx.app, fx.users.trainee.username, '10.99.0.5');
  });
});

describe('partners and API keys', () => {
  it('creates and renames a partner, audited', async () => {
    const p = await call('POST', '/api/admin/partners', admin, { name: 'Partenaire C' });
    expect(p.statusCode).toBe(201);
    const renamed = await call('PATCH', `/api/admin/partners/${p.json().id}`, admin, { name: 'Partenaire C bis' });
    expect(renamed.json().name).toBe('Partenaire C bis');
    expect((await call('POST', '/api/admin/partners', admin, { name: 'Partenaire A' })).json().error.code).toBe('PARTNER_NAME_TAKEN');
    expect((await call('GET', '/api/admin/partners', admin)).json().items.map((x: { name: string }) => x.name)).toContain('Partenaire C bis');
    expect((await auditRows(p.json().id)).map((r) => r.action)).toEqual(['partner.created', 'partner.updated']);
  });

  it('gives trainers a minimal, read-only partner list for campaign creation', async () => {
    const trainer = await login(ctx.app, fx.users.trainer.username, OUTSIDE_IP);
    const res = await call('GET', '/api/partners', trainer);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Record<string, unknown>[];
    expect(items.map((p) => p.id)).toEqual(expect.arrayContaining([fx.partnerA, fx.partnerB]));
    for (const p of items) expect(Object.keys(p).sort()).toEqual(['active', 'id', 'name']);
    expect((await call('GET', '/api/admin/partners', trainer)).statusCode).toBe(403);
    expect((await call('POST', '/api/admin/partners', trainer, { name: 'Partenaire T' })).statusCode).toBe(403);
  });

  it('shows a key once, stores only its hash, accepts it as Bearer, and refuses it once revoked', async () => {
    const partnerUser = await login(ctx.app, fx.users.partnerA.username, OUTSIDE_IP);
    const created = await call('POST', `/api/partners/${fx.partnerA}/api-keys`, partnerUser, { name: 'CRM export' });
    expect(created.statusCode).toBe(201);
    const { key, apiKey } = created.json();
    expect(key).toMatch(/^pk_[A-Za-z0-9_-]{40,}$/);
    expect(key.startsWith(apiKey.prefix)).toBe(true);

    const stored = await ctx.app.db.selectFrom('partnerApiKeys').selectAll().where('id', '=', apiKey.id).executeTakeFirstOrThrow();
    expect(stored.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(key);

    const list = await call('GET', `/api/partners/${fx.partnerA}/api-keys`, partnerUser);
    expect(list.json().items).toEqual([expect.objectContaining({ id: apiKey.id, name: 'CRM export', prefix: apiKey.prefix, revokedAt: null })]);
    expect(list.body).not.toContain(key);
    expect(list.body).not.toContain(stored.keyHash);

    const bearer = { headers: { authorization: `Bearer ${key}` } };
    const me = await call('GET', '/api/partner/me', bearer);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({ partnerId: fx.partnerA, name: 'Partenaire A', via: 'apiKey' });
    expect((await call('GET', '/api/partner/me', partnerUser)).json().via).toBe('session');
    // A key cannot manage keys, nor reach admin routes.
    expect((await call('GET', `/api/partners/${fx.partnerA}/api-keys`, bearer)).statusCode).toBe(403);
    expect((await call('GET', '/api/admin/users', bearer)).statusCode).toBe(403);
    const used = await ctx.app.db.selectFrom('partnerApiKeys').select('lastUsedAt').where('id', '=', apiKey.id).executeTakeFirstOrThrow();
    expect(used.lastUsedAt).not.toBeNull();

    // Partner B neither sees nor revokes A's keys.
    const partnerB = await login(ctx.app, fx.users.partnerB.username, OUTSIDE_IP);
    expect((await call('GET', `/api/partners/${fx.partnerA}/api-keys`, partnerB)).statusCode).toBe(404);
    expect((await call('DELETE', `/api/partners/${fx.partnerA}/api-keys/${apiKey.id}`, partnerB)).statusCode).toBe(404);
    expect((await call('DELETE', `/api/partners/${fx.partnerB}/api-keys/${apiKey.id}`, partnerB)).statusCode).toBe(404);

    expect((await call('DELETE', `/api/partners/${fx.partnerA}/api-keys/${apiKey.id}`, admin)).statusCode).toBe(204);
    expect((await call('DELETE', `/api/partners/${fx.partnerA}/api-keys/${apiKey.id}`, partnerUser)).statusCode).toBe(204);
    const refused = await call('GET', '/api/partner/me', bearer);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('INVALID_API_KEY');

    const actions = (await auditRows(apiKey.id)).map((r) => r.action);
    expect(actions.filter((a) => a === 'api_key.revoked')).toHaveLength(1);
    expect(actions).toEqual(expect.arrayContaining(['api_key.created', 'api_key.used', 'api_key.revoked']));
    const audited = await ctx.app.db.selectFrom('auditLog').select('details').execute();
    expect(JSON.stringify(audited)).not.toContain(key);
  });

  it('deactivating a partner disables its keys and logs its users out', async () => {
    const p = (await call('POST', '/api/admin/partners', admin, { name: 'Partenaire D' })).json();
    await call('POST', '/api/admin/users', admin, { username: 'd-user', displayName: 'D', role: 'partner', partnerId: p.id, password: PASSWORD });
    const dUser = await login(ctx.app, 'd-user', OUTSIDE_IP);
    const { key } = (await call('POST', `/api/partners/${p.id}/api-keys`, admin, { name: 'k' })).json();
    expect((await call('GET', '/api/partner/me', { headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(200);
    expect((await call('PATCH', `/api/admin/partners/${p.id}`, admin, { active: false })).json().active).toBe(false);
    expect((await call('GET', '/api/partner/me', { headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(401);
    expect((await call('GET', '/api/partner/me', dUser)).statusCode).toBe(401);
    expect((await auditRows(p.id)).map((r) => r.action)).toContain('partner.deactivated');
  });
});

describe('audit viewer', () => {
  it('filters by action prefix, actor and target, and pages with a keyset cursor', async () => {
    const page1 = await call('GET', `/api/admin/audit?action=user.&actorUserId=${fx.users.admin.id}&limit=2`, admin);
    expect(page1.statusCode).toBe(200);
    const p1 = page1.json();
    expect(p1.items).toHaveLength(2);
    expect(p1.items.every((e: { action: string; actorUserId: string }) => e.action.startsWith('user.') && e.actorUserId === fx.users.admin.id)).toBe(true);
    expect(p1.items[0].id).toBeGreaterThan(p1.items[1].id);
    const page2 = (await call('GET', `/api/admin/audit?action=user.&actorUserId=${fx.users.admin.id}&limit=2&before=${p1.nextCursor}`, admin)).json();
    expect(page2.items[0].id).toBeLessThan(p1.items[1].id);

    const target = (await call('GET', `/api/admin/audit?targetType=user&targetId=${fx.users.trainee2.id}&limit=200`, admin)).json();
    expect(target.items.length).toBeGreaterThan(0);
    expect(target.items.every((e: { targetId: string }) => e.targetId === fx.users.trainee2.id)).toBe(true);
    expect(target.nextCursor).toBeNull();

    const future = (await call('GET', `/api/admin/audit?from=${new Date(Date.now() + 3_600_000).toISOString()}`, admin)).json();
    expect(future.items).toEqual([]);
    // `_` is a literal in the prefix, not a LIKE wildcard.
    expect((await call('GET', '/api/admin/audit?action=user_', admin)).json().items).toEqual([]);
  });

  it('verifies the chain on demand and audits the verification', async () => {
    const res = await call('POST', '/api/admin/audit/verify', admin);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, brokenId: null, reason: null });
    const last = await ctx.app.db.selectFrom('auditLog').select(['action', 'details']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(last.action).toBe('audit.verified');
    expect(last.details).toMatchObject({ ok: true, rows: res.json().rows });
  });
});
