import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestContext } from './app.ts';
import { login, OUTSIDE_IP, PASSWORD, SEAT_IP, seedFixture, type Fixture } from './fixtures.ts';

let ctx: TestContext;
let fx: Fixture;

beforeAll(async () => {
  ctx = await startTestApp({ LOGIN_MAX_FAILURES: '3', LOGIN_LOCKOUT_MIN: '10', TRAINEE_IDLE_TIMEOUT_MIN: '15', LOGIN_RATE_PER_MIN: '1000' });
  fx = await seedFixture(ctx.app);
});
afterAll(() => ctx?.close());

const actions = async () =>
  (await ctx.app.db.selectFrom('auditLog').select(['action', 'targetId', 'details']).orderBy('id').execute());

describe('login', () => {
  it('logs in with the right password and returns a CSRF token and an httpOnly SameSite=Strict cookie', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: fx.users.trainer.username, password: PASSWORD }, remoteAddress: OUTSIDE_IP });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'psid')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    expect(res.json().user).not.toHaveProperty('passwordHash');
    expect(res.json().csrfToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  });

  it('refuses a NUL character with a clear 400 on public and signed-in routes (PostgreSQL text cannot hold it)', async () => {
    const refused = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin\u0000', password: PASSWORD }, remoteAddress: OUTSIDE_IP });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ code: 'INVALID_CHARACTER', message: expect.stringContaining('caractère nul') });
    const admin = await login(ctx.app, fx.users.admin.username, OUTSIDE_IP);
    const query = await ctx.app.inject({ method: 'GET', url: '/api/admin/audit?targetId=%00', headers: admin.headers, remoteAddress: OUTSIDE_IP });
    expect(query.statusCode).toBe(400);
    expect(query.json().error.code).toBe('INVALID_CHARACTER');
    const nested = await ctx.app.inject({ method: 'POST', url: '/api/admin/partners', headers: admin.headers, payload: { name: 'Partenaire\u0000 nul' }, remoteAddress: OUTSIDE_IP });
    expect(nested.statusCode).toBe(400);
  });

  it('refuses a trainee outside the workstation ranges, audits it, and accepts from a seat', async () => {
    const refused = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: fx.users.trainee.username, password: PASSWORD }, remoteAddress: OUTSIDE_IP });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('WORKSTATION_REQUIRED');
    const audit = await actions();
    expect(audit.some((a) => a.action === 'auth.login_refused_location' && a.targetId === fx.users.trainee.id)).toBe(true);
    const ok = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: fx.users.trainee.username, password: PASSWORD }, remoteAddress: SEAT_IP });
    expect(ok.statusCode).toBe(200);
  });

  it('locks the account after repeated failures, even for the right password', async () => {
    const username = fx.users.trainee2.username;
    for (let i = 0; i < 3; i++) {
      const r = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'wrong-password!' }, remoteAddress: SEAT_IP });
      expect(r.statusCode).toBe(401);
    }
    const locked = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD }, remoteAddress: SEAT_IP });
    expect(locked.statusCode).toBe(423);
    expect(locked.json().error.code).toBe('ACCOUNT_LOCKED');
    expect((await actions()).some((a) => a.action === 'auth.locked_out')).toBe(true);
  });

  it('refuses the users of a deactivated partner, at login and on an open session', async () => {
    const open = await login(ctx.app, fx.users.partnerB.username, OUTSIDE_IP);
    await ctx.app.db.updateTable('partners').set({ active: false }).where('id', '=', fx.partnerB).execute();
    const r = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: fx.users.partnerB.username, password: PASSWORD }, remoteAddress: OUTSIDE_IP });
    expect(r.statusCode).toBe(401);
    expect((await ctx.app.inject({ url: '/api/auth/session', headers: open.headers, remoteAddress: OUTSIDE_IP })).statusCode).toBe(401);
    await ctx.app.db.updateTable('partners').set({ active: true }).where('id', '=', fx.partnerB).execute();
  });

  it('answers an unknown user exactly like a wrong password', async () => {
    const r = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody@test', password: 'whatever-it-is' }, remoteAddress: SEAT_IP });
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('INVALID_CREDENTIALS');
  });
});

describe('sessions', () => {
  it('expires a trainee session after the idle timeout', async () => {
    const s = await login(ctx.app, fx.users.trainee.username);
    expect((await ctx.app.inject({ url: '/api/auth/session', headers: s.headers, remoteAddress: SEAT_IP })).statusCode).toBe(200);
    await sql`update sessions set last_seen_at = now() - interval '16 minutes' where revoked_at is null and user_id = ${fx.users.trainee.id}`.execute(ctx.app.db);
    const after = await ctx.app.inject({ url: '/api/auth/session', headers: s.headers, remoteAddress: SEAT_IP });
    expect(after.statusCode).toBe(401);
  });

  it('refuses a trainee session used from another address', async () => {
    const s = await login(ctx.app, fx.users.trainee.username);
    const moved = await ctx.app.inject({ url: '/api/auth/session', headers: s.headers, remoteAddress: '10.20.0.99' });
    expect(moved.statusCode).toBe(401);
  });

  it('refuses a state-changing request without the CSRF token', async () => {
    const s = await login(ctx.app, fx.users.admin.username, OUTSIDE_IP);
    const noCsrf = await ctx.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: s.cookie }, remoteAddress: OUTSIDE_IP });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('CSRF_TOKEN_INVALID');
    const wrong = await ctx.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: s.cookie, 'x-csrf-token': 'x'.repeat(32) }, remoteAddress: OUTSIDE_IP });
    expect(wrong.statusCode).toBe(403);
  });

  it('logout invalidates the session server-side', async () => {
    const s = await login(ctx.app, fx.users.admin.username, OUTSIDE_IP);
    const out = await ctx.app.inject({ method: 'POST', url: '/api/auth/logout', headers: s.headers, remoteAddress: OUTSIDE_IP });
    expect(out.statusCode).toBe(204);
    const again = await ctx.app.inject({ url: '/api/auth/session', headers: s.headers, remoteAddress: OUTSIDE_IP });
    expect(again.statusCode).toBe(401);
    expect((await actions()).some((a) => a.action === 'auth.logout')).toBe(true);
  });
});
