import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../src/modules/audit/chain.ts';
import { verifyAuditChain } from '../src/modules/audit/verify.ts';
import { startTestApp, type TestContext } from './app.ts';
import { login, OUTSIDE_IP, seedFixture, type Fixture } from './fixtures.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let ctx: TestContext;
let fx: Fixture;

beforeAll(async () => {
  ctx = await startTestApp({ LOGIN_RATE_PER_MIN: '1000' });
  fx = await seedFixture(ctx.app);
  // A few real audited actions: logins, a failed login, a user creation, a logout.
  const admin = await login(ctx.app, fx.users.admin.username, OUTSIDE_IP);
  await ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: fx.users.trainer.username, password: 'wrong-password' }, remoteAddress: OUTSIDE_IP });
  await ctx.app.inject({
    method: 'POST',
    url: '/api/admin/users',
    headers: admin.headers,
    remoteAddress: OUTSIDE_IP,
    payload: { username: 'formateur77', displayName: 'Formateur 77', role: 'trainer', password: 'un-mot-de-passe-long' },
  });
  await login(ctx.app, fx.users.trainer.username, OUTSIDE_IP);
  await ctx.app.inject({ method: 'POST', url: '/api/auth/logout', headers: admin.headers, remoteAddress: OUTSIDE_IP });
});
afterAll(() => ctx?.close());

const rows = () => ctx.app.db.selectFrom('auditLog').selectAll().orderBy('id').execute();

/** Runs the real `npm run audit:verify` against the test database. */
async function auditVerifyScript(): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('npm', ['run', '--silent', 'audit:verify'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: ctx.databaseUrl },
    });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

/** What an attacker with superuser rights would do: switch the guard off, edit, switch it back on. */
async function superuserSql(statement: ReturnType<typeof sql>) {
  await sql`alter table audit_log disable trigger audit_log_no_update_delete`.execute(ctx.app.db);
  try {
    await statement.execute(ctx.app.db);
  } finally {
    await sql`alter table audit_log enable trigger audit_log_no_update_delete`.execute(ctx.app.db);
  }
}

describe('audit chain', () => {
  it('appends one chained row per audited action', async () => {
    const all = await rows();
    const actions = all.map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.login', 'auth.login_failed', 'user.created', 'auth.logout']));
    expect(all[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < all.length; i++) expect(all[i]!.prevHash).toBe(all[i - 1]!.hash);
    expect(await verifyAuditChain(ctx.app.db)).toMatchObject({ ok: true, rows: all.length });
  });

  it('the database refuses UPDATE, DELETE and TRUNCATE, even for a superuser', async () => {
    const su = await sql<{ s: string }>`select current_setting('is_superuser') as s`.execute(ctx.app.db);
    expect(su.rows[0]!.s).toBe('on');
    await expect(sql`update audit_log set action = 'x' where id = 1`.execute(ctx.app.db)).rejects.toThrow(/append-only \(UPDATE refused\)/);
    await expect(sql`delete from audit_log where id = 1`.execute(ctx.app.db)).rejects.toThrow(/append-only \(DELETE refused\)/);
    await expect(sql`truncate audit_log`.execute(ctx.app.db)).rejects.toThrow(/append-only \(TRUNCATE refused\)/);
    expect(await verifyAuditChain(ctx.app.db)).toMatchObject({ ok: true });
  });

  it('npm run audit:verify reports an intact chain with its row count', async () => {
    const count = (await rows()).length;
    const { code, out } = await auditVerifyScript();
    expect(code).toBe(0);
    expect(out).toContain(`OK`);
    expect(out).toContain(`(${count} lignes)`);
  });

  it('detects an edited row, wherever it is, and names it', async () => {
    const all = await rows();
    const picks = [all[0]!, all[Math.floor(all.length / 2)]!, all[all.length - 1]!];
    for (const row of picks) {
      const original = JSON.stringify(row.details);
      await superuserSql(sql`update audit_log set details = details || '{"forged":true}'::jsonb where id = ${row.id}`);
      expect(await verifyAuditChain(ctx.app.db)).toEqual({ ok: false, rows: expect.any(Number), brokenId: row.id, reason: 'hash_mismatch' });
      await superuserSql(sql`update audit_log set details = ${original}::jsonb where id = ${row.id}`);
      expect(await verifyAuditChain(ctx.app.db)).toMatchObject({ ok: true });
    }
    // Other columns are covered too: the actor, and the time.
    const mid = picks[1]!;
    await superuserSql(sql`update audit_log set actor_user_id = ${fx.users.trainee.id} where id = ${mid.id}`);
    expect(await verifyAuditChain(ctx.app.db)).toMatchObject({ ok: false, brokenId: mid.id });
    await superuserSql(sql`update audit_log set actor_user_id = ${mid.actorUserId} where id = ${mid.id}`);
    await superuserSql(sql`update audit_log set at = at - interval '1 second' where id = ${mid.id}`);
    expect(await verifyAuditChain(ctx.app.db)).toMatchObject({ ok: false, brokenId: mid.id });

    const { code, out } = await auditVerifyScript();
    expect(code).toBe(1);
    expect(out).toContain(`id=${mid.id}`);
    expect(out).toContain('hash_mismatch');
    await superuserSql(sql`update audit_log set at = at + interval '1 second' where id = ${mid.id}`);
    expect(await verifyAuditChain(ctx.app.db)).toMatchObject({ ok: true });
  });

  it('detects a deleted row: the row after the gap no longer links to its predecessor', async () => {
    const all = await rows();
    const victim = all[2]!;
    const next = all[3]!;
    await superuserSql(sql`delete from audit_log where id = ${victim.id}`);
    expect(await verifyAuditChain(ctx.app.db)).toEqual({ ok: false, rows: 3, brokenId: next.id, reason: 'prev_hash_mismatch' });
    const { code, out } = await auditVerifyScript();
    expect(code).toBe(1);
    expect(out).toContain(`id=${next.id}`);
    expect(out).toContain('prev_hash_mismatch');
  });
});
