import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestContext } from './app.ts';
import { login, SEAT_IP, seedFixture, type Fixture, type LoggedIn } from './fixtures.ts';
import { addContacts, multipartFile, partnerApiKey } from './vault-fixtures.ts';

let ctx: TestContext;
let fx: Fixture;
let admin: LoggedIn;
let trainer: LoggedIn;
let trainee: LoggedIn;
let partnerA: LoggedIn;
let partnerB: LoggedIn;
let keyA: Record<string, string>;
let campaignA: string;
let campaignB: string;
let contactB: string;

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const call = (headers: Record<string, string>, method: Method, url: string, payload?: object) =>
  ctx.app.inject({ method, url, headers, remoteAddress: SEAT_IP, ...(payload ? { payload } : {}) });

beforeAll(async () => {
  ctx = await startTestApp({ LOGIN_RATE_PER_MIN: '1000' });
  fx = await seedFixture(ctx.app);
  admin = await login(ctx.app, fx.users.admin.username);
  trainer = await login(ctx.app, fx.users.trainer.username);
  trainee = await login(ctx.app, fx.users.trainee.username);
  partnerA = await login(ctx.app, fx.users.partnerA.username);
  partnerB = await login(ctx.app, fx.users.partnerB.username);
  keyA = await partnerApiKey(ctx.app, fx.partnerA);
  const a = await call(admin.headers, 'POST', '/api/campaigns', { name: 'RDV fibre', partnerId: fx.partnerA, type: 'appointment' });
  campaignA = a.json().id;
  const b = await call(trainer.headers, 'POST', '/api/campaigns', { name: 'SAV B', partnerId: fx.partnerB, type: 'after_sales', defaultRegion: 'MQ', retentionDays: 90 });
  campaignB = b.json().id;
  contactB = (await addContacts(ctx.app, campaignB, [{ phones: ['+596696001401'], pii: { firstName: 'Zoé', lastName: 'Bernard', customerRef: 'B-0001' } }]))[0]!;
});
afterAll(() => ctx?.close());

describe('campaign shell', () => {
  it('creates with defaults and derives the legal-basis requirement from the type', async () => {
    const a = await call(admin.headers, 'GET', `/api/campaigns/${campaignA}`);
    expect(a.statusCode).toBe(200);
    expect(a.json()).toMatchObject({
      name: 'RDV fibre',
      partnerId: fx.partnerA,
      type: 'appointment',
      status: 'draft',
      defaultRegion: 'GP',
      retentionDays: 365,
      legalBasisRequired: true,
      maskingPolicy: { name: 'first_name_initial', phone: 'last2', city: true, postalCode: 'department', customerRef: 'hidden', extra: [] },
      contactCount: 0,
      purgedAt: null,
    });
    const b = await call(admin.headers, 'GET', `/api/campaigns/${campaignB}`);
    expect(b.json()).toMatchObject({ legalBasisRequired: false, defaultRegion: 'MQ', retentionDays: 90, contactCount: 1 });
    const audit = await ctx.app.db.selectFrom('auditLog').select('action').where('targetId', '=', campaignA).execute();
    expect(audit.map((x) => x.action)).toContain('campaign.create');
  });

  it('validates input', async () => {
    const bad = await call(admin.headers, 'POST', '/api/campaigns', { name: '', partnerId: fx.partnerA, type: 'cold_call' });
    expect(bad.statusCode).toBe(400);
    const region = await call(admin.headers, 'POST', '/api/campaigns', { name: 'x', partnerId: fx.partnerA, type: 'loyalty', defaultRegion: 'guadeloupe' });
    expect(region.statusCode).toBe(400);
    const unknown = await call(admin.headers, 'POST', '/api/campaigns', { name: 'x', partnerId: '00000000-0000-4000-8000-000000000000', type: 'loyalty' });
    expect(unknown.json().error.code).toBe('PARTNER_NOT_FOUND');
  });

  it('edits the shell; a type change re-derives legal basis, refused once contacts exist', async () => {
    const r = await call(trainer.headers, 'PATCH', `/api/campaigns/${campaignA}`, { type: 'after_sales', name: 'SAV fibre' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ type: 'after_sales', legalBasisRequired: false, name: 'SAV fibre' });
    await call(trainer.headers, 'PATCH', `/api/campaigns/${campaignA}`, { type: 'appointment', name: 'RDV fibre' });
    const refused = await call(trainer.headers, 'PATCH', `/api/campaigns/${campaignB}`, { type: 'loyalty' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('CAMPAIGN_HAS_CONTACTS');
  });

  it('re-masks stored contacts when the masking policy changes', async () => {
    const before = await ctx.app.db.selectFrom('contactCards').select('masked').where('id', '=', contactB).executeTakeFirstOrThrow();
    expect(before.masked).toMatchObject({ name: 'Zoé B.', phone: '06 96 •• •• 01', customerRef: null });
    const r = await call(admin.headers, 'PATCH', `/api/campaigns/${campaignB}`, { maskingPolicy: { name: 'initials', phone: 'hidden', customerRef: 'last4' } });
    expect(r.statusCode).toBe(200);
    expect(r.json().maskingPolicy).toMatchObject({ name: 'initials', phone: 'hidden', city: true, customerRef: 'last4' });
    const after = await ctx.app.db.selectFrom('contactCards').select('masked').where('id', '=', contactB).executeTakeFirstOrThrow();
    expect(after.masked).toMatchObject({ name: 'Z. B.', phone: null, customerRef: '…0001' });
  });

  it('only staff create and edit', async () => {
    for (const who of [partnerA.headers, trainee.headers, keyA]) {
      expect((await call(who, 'POST', '/api/campaigns', { name: 'x', partnerId: fx.partnerA, type: 'loyalty' })).statusCode).toBe(403);
      expect((await call(who, 'PATCH', `/api/campaigns/${campaignA}`, { name: 'y' })).statusCode).toBe(403);
    }
  });
});

describe('partner isolation', () => {
  it('lists only the partner’s own campaigns (session and API key); staff see all', async () => {
    const ids = async (h: Record<string, string>) => (await call(h, 'GET', '/api/campaigns')).json().items.map((c: { id: string }) => c.id);
    expect(await ids(partnerA.headers)).toEqual([campaignA]);
    expect(await ids(keyA)).toEqual([campaignA]);
    expect(await ids(partnerB.headers)).toEqual([campaignB]);
    expect(await ids(admin.headers)).toEqual(expect.arrayContaining([campaignA, campaignB]));
    // A partner cannot widen its scope with a filter.
    expect((await call(partnerA.headers, 'GET', `/api/campaigns?partnerId=${fx.partnerB}`)).json().items).toEqual([]);
  });

  it('answers 404 for another partner’s campaign: get, results, results.csv, suppression upload', async () => {
    for (const who of [partnerA.headers, keyA]) {
      for (const url of [`/api/campaigns/${campaignB}`, `/api/campaigns/${campaignB}/results`, `/api/campaigns/${campaignB}/results.csv`, `/api/partners/${fx.partnerB}/suppressions`]) {
        const res = await call(who, 'GET', url);
        expect(res.statusCode, `${url}`).toBe(404);
        expect(res.body).not.toContain('B-0001');
      }
      const { payload, headers } = multipartFile('x.csv', '0690001402\n');
      const up = await ctx.app.inject({ method: 'POST', url: `/api/partners/${fx.partnerB}/suppressions`, headers: { ...who, ...headers }, payload, remoteAddress: SEAT_IP });
      expect(up.statusCode).toBe(404);
    }
    expect((await ctx.app.db.selectFrom('partnerSuppressions').select('id').where('partnerId', '=', fx.partnerB).execute())).toEqual([]);
    // Its own campaign works.
    expect((await call(partnerB.headers, 'GET', `/api/campaigns/${campaignB}/results`)).statusCode).toBe(200);
  });

  it('the database refuses a contact filed under another partner than its campaign’s', async () => {
    const stored = await ctx.app.db.selectFrom('contacts').selectAll().where('id', '=', contactB).executeTakeFirstOrThrow();
    const { id: _id, createdAt: _createdAt, ...row } = stored;
    const misfiled = ctx.app.db.insertInto('contacts').values({ ...row, phoneHmac: `${row.phoneHmac}x`, partnerId: fx.partnerA, masked: JSON.stringify(row.masked) }).execute();
    await expect(misfiled).rejects.toThrow(/contacts_campaign_partner_fkey/);
    const count = await ctx.app.db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).where('campaignId', '=', campaignB).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });
});

describe('trainees and contact PII', () => {
  it('cannot reach any route that returns contact PII (403)', async () => {
    const routes: [Method, string, object?][] = [
      ['GET', '/api/campaigns'],
      ['GET', `/api/campaigns/${campaignB}`],
      ['GET', `/api/campaigns/${campaignB}/results`],
      ['GET', `/api/campaigns/${campaignB}/results.csv`],
      ['POST', `/api/contacts/${contactB}/reveal`, { reason: 'curiosité malsaine' }],
      ['GET', '/api/admin/blocklist'],
      ['POST', '/api/admin/blocklist/search', { number: '0690001401' }],
      ['GET', `/api/partners/${fx.partnerB}/suppressions`],
    ];
    for (const [method, url, payload] of routes) {
      const res = await call(trainee.headers, method, url, payload);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.body).not.toMatch(/Bernard|B-0001|696001401/);
    }
  });

  it('every registered route that can return contact data excludes trainees', () => {
    const piiRoutes = ctx.app.routeAccess.filter((r) => /\/(campaigns|contacts|admin\/blocklist|suppressions)/.test(r.url) && r.method !== 'HEAD');
    expect(piiRoutes.length).toBeGreaterThanOrEqual(8);
    for (const r of piiRoutes) {
      if ('public' in r.access) throw new Error(`${r.url} is public`);
      expect(r.access.roles, `${r.method} ${r.url}`).not.toContain('trainee');
    }
  });
});

describe('admin reveal', () => {
  it('requires a reason, is admin-only, audits the reason, returns decrypted fields', async () => {
    expect((await call(admin.headers, 'POST', `/api/contacts/${contactB}/reveal`, {})).statusCode).toBe(400);
    expect((await call(trainer.headers, 'POST', `/api/contacts/${contactB}/reveal`, { reason: 'litige client 42' })).statusCode).toBe(403);
    expect((await call(partnerB.headers, 'POST', `/api/contacts/${contactB}/reveal`, { reason: 'litige client 42' })).statusCode).toBe(403);
    const res = await call(admin.headers, 'POST', `/api/contacts/${contactB}/reveal`, { reason: 'litige client 42' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ contactId: contactB, phones: ['+596696001401'], firstName: 'Zoé', lastName: 'Bernard', customerRef: 'B-0001' });
    const audit = await ctx.app.db.selectFrom('auditLog').select(['actorUserId', 'details']).where('action', '=', 'contact.reveal').where('targetId', '=', contactB).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorUserId).toBe(fx.users.admin.id);
    expect(audit[0]!.details).toMatchObject({ reason: 'litige client 42', campaignId: campaignB });
    expect(JSON.stringify(audit)).not.toMatch(/Bernard|696001401/);
  });
});
