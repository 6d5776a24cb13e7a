import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestContext } from './app.ts';
import { login, SEAT_IP, seedFixture, type Fixture, type LoggedIn } from './fixtures.ts';
import { multipartFile } from './vault-fixtures.ts';
import { numberForms } from './dialer-fixtures.ts';
import { addOptOut, blockedSql, findBlocked, isBlocked as isBlockedTs } from '../src/modules/blocklists/service.ts';

let ctx: TestContext;
let fx: Fixture;
let admin: LoggedIn;
let trainer: LoggedIn;
let partnerA: LoggedIn;
let partnerB: LoggedIn;

beforeAll(async () => {
  ctx = await startTestApp({ LOGIN_RATE_PER_MIN: '1000' });
  fx = await seedFixture(ctx.app);
  admin = await login(ctx.app, fx.users.admin.username);
  trainer = await login(ctx.app, fx.users.trainer.username);
  partnerA = await login(ctx.app, fx.users.partnerA.username);
  partnerB = await login(ctx.app, fx.users.partnerB.username);
});
afterAll(() => ctx?.close());

/** isBlocked, checked against the inline SQL form the dialer's offer statement uses. */
async function isBlocked(db: TestContext['app']['db'], partnerId: string, phoneHmac: string) {
  const hit = await isBlockedTs(db, partnerId, phoneHmac);
  const inline = await sql<{ blocked: boolean }>`select ${blockedSql(sql.val(partnerId), sql.val(phoneHmac))} as blocked`.execute(db);
  expect(inline.rows[0]!.blocked).toBe(hit !== null);
  return hit;
}

const inject = (who: LoggedIn, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
  ctx.app.inject({ method, url, headers: who.headers, remoteAddress: SEAT_IP, ...(payload ? { payload: payload as object } : {}) });

/** Every text/bytea/jsonb value of the blocklist tables, to check no number is stored in clear. */
async function blocklistDump(): Promise<string> {
  const rows = await sql<{ t: string }>`
    select row_to_json(j)::text as t from justice_blocklist j
    union all select row_to_json(s)::text from partner_suppressions s
    union all select row_to_json(o)::text from opt_outs o`.execute(ctx.app.db);
  return rows.rows.map((r) => r.t).join('\n');
}

describe('justice blocklist', () => {
  it('adds, finds by number in any written form, and removes — storing only the HMAC', async () => {
    const added = await inject(admin, 'POST', '/api/admin/blocklist', { number: '0690 00 12 77', region: 'GP', reason: 'Partie civile — dossier 2026-118' });
    expect(added.statusCode).toBe(201);
    const entry = added.json();
    expect(entry.hmacPrefix).toBe(ctx.app.vault.phoneHmac('+590690001277').slice(0, 12));
    expect(JSON.stringify(entry)).not.toMatch(/690001277|0690/);

    const dup = await inject(admin, 'POST', '/api/admin/blocklist', { number: '+590 690 00 12 77', reason: 'doublon' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('ALREADY_BLOCKED');

    for (const form of ['+590690001277', '00590 690 001 277', '06.90.00.12.77']) {
      const found = await inject(admin, 'POST', '/api/admin/blocklist/search', { number: form });
      expect(found.statusCode).toBe(200);
      expect(found.json().items.map((i: { id: string }) => i.id)).toEqual([entry.id]);
    }
    const other = await inject(admin, 'POST', '/api/admin/blocklist/search', { number: '0690001278' });
    expect(other.json().items).toEqual([]);

    expect(await isBlocked(ctx.app.db, fx.partnerB, ctx.app.vault.phoneHmac('+590690001277'))).toMatchObject({ list: 'justice' });

    const dump = await blocklistDump();
    // Every written form of the number (not a bare "06.90", which a timestamp like 04:39:06.906 contains).
    for (const form of [...numberForms('+590690001277'), '0690 00 12 77']) expect(dump).not.toContain(form);
    const audit = await ctx.app.db.selectFrom('auditLog').select(['action', 'details']).where('action', 'like', 'blocklist.%').execute();
    expect(audit.map((a) => a.action)).toContain('blocklist.add');
    expect(JSON.stringify(audit)).not.toMatch(/690001277/);

    const list = await inject(admin, 'GET', '/api/admin/blocklist');
    expect(list.json().total).toBe(1);

    const removed = await inject(admin, 'DELETE', `/api/admin/blocklist/${entry.id}`);
    expect(removed.statusCode).toBe(204);
    expect(await isBlocked(ctx.app.db, fx.partnerB, ctx.app.vault.phoneHmac('+590690001277'))).toBeNull();
    expect((await inject(admin, 'DELETE', `/api/admin/blocklist/${entry.id}`)).statusCode).toBe(404);
    const actions = (await ctx.app.db.selectFrom('auditLog').select('action').where('targetId', '=', entry.id).execute()).map((a) => a.action);
    expect(actions).toEqual(['blocklist.add', 'blocklist.remove']);
  });

  it('refuses invalid numbers and past expiries, and is admin-only', async () => {
    const bad = await inject(admin, 'POST', '/api/admin/blocklist', { number: 'pas un numéro', reason: 'test' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INVALID_NUMBER');
    const past = await inject(admin, 'POST', '/api/admin/blocklist', { number: '0690001279', reason: 'test', expiresAt: '2020-01-01T00:00:00.000Z' });
    expect(past.json().error.code).toBe('EXPIRY_IN_PAST');
    for (const who of [trainer, partnerA]) {
      expect((await inject(who, 'GET', '/api/admin/blocklist')).statusCode).toBe(403);
      expect((await inject(who, 'POST', '/api/admin/blocklist', { number: '0690001279', reason: 'test' })).statusCode).toBe(403);
    }
  });

  it('ignores expired entries', async () => {
    const hmac = ctx.app.vault.phoneHmac('+590690001280');
    await ctx.app.db.insertInto('justiceBlocklist').values({ phoneHmac: hmac, reason: 'ancien', expiresAt: new Date(Date.now() - 1000) }).execute();
    expect(await isBlocked(ctx.app.db, fx.partnerA, hmac)).toBeNull();
    // Shown as expired; adding the number again protects it again (it used to answer "already listed").
    const found = await inject(admin, 'POST', '/api/admin/blocklist/search', { number: '0690001280' });
    expect(found.json().items).toEqual([expect.objectContaining({ reason: 'ancien', expired: true })]);
    const renewed = await inject(admin, 'POST', '/api/admin/blocklist', { number: '0690 00 12 80', reason: 'protégée à nouveau' });
    expect(renewed.statusCode, renewed.body).toBe(201);
    expect(renewed.json()).toMatchObject({ reason: 'protégée à nouveau', expired: false, expiresAt: null });
    expect(await isBlocked(ctx.app.db, fx.partnerA, hmac)).toMatchObject({ list: 'justice' });
    const audit = await ctx.app.db.selectFrom('auditLog').select('details').where('action', '=', 'blocklist.add').where('targetId', '=', renewed.json().id).executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ replacedExpired: expect.any(String) });
    // A live entry is still refused.
    expect((await inject(admin, 'POST', '/api/admin/blocklist', { number: '0690001280', reason: 'doublon' })).json().error.code).toBe('ALREADY_BLOCKED');
  });
});

describe('partner suppressions and opt-outs', () => {
  it('uploads a CSV of numbers: normalized, hashed, counted, audited; only its own partner', async () => {
    const csv = '\uFEFFTéléphone;Nom\r\n0690 00 13 01;x\r\n+590 690 00 13 02;y\r\n"06.90.00.13.01";dup\r\nabc;z\r\n0696 00 13 03;mq\r\n\r\n';
    const { payload, headers } = multipartFile('exclusions.csv', csv);
    const res = await ctx.app.inject({ method: 'POST', url: `/api/partners/${fx.partnerA}/suppressions`, headers: { ...partnerA.headers, ...headers }, payload, remoteAddress: SEAT_IP });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ lines: 5, added: 3, alreadyListed: 1, invalid: 1 });
    expect(res.json().invalidSamples).toEqual([{ line: 5, reason: 'invalid' }]);

    const again = await ctx.app.inject({ method: 'POST', url: `/api/partners/${fx.partnerA}/suppressions`, headers: { ...partnerA.headers, ...headers }, payload, remoteAddress: SEAT_IP });
    expect(again.json()).toMatchObject({ added: 0, alreadyListed: 4 });

    expect(await isBlocked(ctx.app.db, fx.partnerA, ctx.app.vault.phoneHmac('+590690001302'))).toMatchObject({ list: 'suppression' });
    expect(await isBlocked(ctx.app.db, fx.partnerB, ctx.app.vault.phoneHmac('+590690001302'))).toBeNull();
    expect((await blocklistDump())).not.toMatch(/69000130|069600/);

    const counts = await inject(partnerA, 'GET', `/api/partners/${fx.partnerA}/suppressions`);
    expect(counts.json()).toEqual({ suppressions: 3, optOuts: 0 });
    const audit = await ctx.app.db.selectFrom('auditLog').select('details').where('action', '=', 'suppression.upload').execute();
    expect(audit).toHaveLength(2);
  });

  it('hides another partner’s lists (404), staff may upload for any partner', async () => {
    const { payload, headers } = multipartFile('x.csv', '0690001304\n');
    const cross = await ctx.app.inject({ method: 'POST', url: `/api/partners/${fx.partnerA}/suppressions`, headers: { ...partnerB.headers, ...headers }, payload, remoteAddress: SEAT_IP });
    expect(cross.statusCode).toBe(404);
    expect((await inject(partnerB, 'GET', `/api/partners/${fx.partnerA}/suppressions`)).statusCode).toBe(404);
    const staff = await ctx.app.inject({ method: 'POST', url: `/api/partners/${fx.partnerB}/suppressions`, headers: { ...trainer.headers, ...headers }, payload, remoteAddress: SEAT_IP });
    expect(staff.json()).toMatchObject({ added: 1 });
  });

  it('refuses a non-CSV file name', async () => {
    const { payload, headers } = multipartFile('liste.exe', '0690001305\n');
    const res = await ctx.app.inject({ method: 'POST', url: `/api/partners/${fx.partnerA}/suppressions`, headers: { ...partnerA.headers, ...headers }, payload, remoteAddress: SEAT_IP });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('UNSUPPORTED_FILE_TYPE');
  });

  it('records opt-outs idempotently, with precedence justice > suppression > opt-out', async () => {
    const hmac = ctx.app.vault.phoneHmac('+590690001306');
    expect(await addOptOut(ctx.app.db, fx.partnerA, hmac, 'call:test')).toBe(true);
    expect(await addOptOut(ctx.app.db, fx.partnerA, hmac, 'call:test')).toBe(false);
    expect(await isBlocked(ctx.app.db, fx.partnerA, hmac)).toMatchObject({ list: 'opt_out' });
    await ctx.app.db.insertInto('partnerSuppressions').values({ partnerId: fx.partnerA, phoneHmac: hmac }).execute();
    expect(await isBlocked(ctx.app.db, fx.partnerA, hmac)).toMatchObject({ list: 'suppression' });
    await ctx.app.db.insertInto('justiceBlocklist').values({ phoneHmac: hmac, reason: 'victime' }).execute();
    const hits = await findBlocked(ctx.app.db, fx.partnerA, [hmac, ctx.app.vault.phoneHmac('+590690001399')]);
    expect([...hits.entries()].map(([h, v]) => [h, v.list])).toEqual([[hmac, 'justice']]);
  });
});
