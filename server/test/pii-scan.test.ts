import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { defaultMaskingPolicy, maskingPolicySchema } from '@passerelle/shared/masking';
import { startTestApp, type TestContext } from './app.ts';
import { login, SEAT_IP, seedFixture, type Fixture } from './fixtures.ts';
import { addContacts, makeCampaign, multipartFile } from './vault-fixtures.ts';
import { addOptOut } from '../src/modules/blocklists/service.ts';

let ctx: TestContext;
let fx: Fixture;

// Distinctive synthetic values: any hit in the scan is a real leak, not a coincidence.
const PERSON = {
  firstName: 'Zéphyrine',
  lastName: 'Quennevillard',
  email: 'zephyrine.quennevillard@example.invalid',
  postalCode: '97122',
  city: 'Petit-Canal',
  birthDate: '1961-07-14',
  customerRef: 'CLI-XK-77310',
  extra: { 'Commentaire': 'Voisine de Marcelline Ouvrardière' },
};
const PHONES = ['+590690009876', '+590590009871'];
const PHONE_FORMS = ['+590690009876', '590690009876', '0690009876', '690009876', '0690 00 98 76', '06 90 00 98 76', '+590590009871', '0590009871', '590009871'];
const SECRETS = [PERSON.lastName, 'QUENNEVILLARD', PERSON.email, PERSON.customerRef, PERSON.birthDate, 'Ouvrardière', ...PHONE_FORMS];

interface Column {
  table: string;
  column: string;
  type: string;
}

/** Every text-like, JSON and bytea column of every base table (views excluded: they read tables). */
async function scannableColumns(): Promise<Column[]> {
  const { rows } = await sql<Column>`
    select c.table_name as "table", c.column_name as "column", c.data_type as "type"
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
     where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
       and (c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'ARRAY') or c.udt_name = 'citext')`.execute(ctx.app.db);
  return rows;
}

/** Where `needle` occurs in clear in the database: "table.column" for each hit. */
async function findInDatabase(needle: string): Promise<string[]> {
  const hits: string[] = [];
  for (const col of await scannableColumns()) {
    const ref = sql.ref(col.column);
    const table = sql.table(col.table);
    const predicate =
      col.type === 'bytea'
        ? sql`position(convert_to(${needle}, 'UTF8') in ${ref}) > 0`
        : sql`strpos(lower(${ref}::text), lower(${needle})) > 0`;
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${table} where ${predicate}`.execute(ctx.app.db);
    if (rows[0]!.n > 0) hits.push(`${col.table}.${col.column}`);
  }
  return hits;
}

beforeAll(async () => {
  ctx = await startTestApp({ LOGIN_RATE_PER_MIN: '1000' });
  fx = await seedFixture(ctx.app);
});
afterAll(() => ctx?.close());

describe('PII at rest (database scan)', () => {
  it('stores no clear phone number or name anywhere, after contacts, reveal, export, blocklists and opt-outs', async () => {
    const strict = await makeCampaign(ctx.app, fx.partnerA, { maskingPolicy: maskingPolicySchema.parse({ name: 'initials', city: false }) });
    const usual = await makeCampaign(ctx.app, fx.partnerA, { maskingPolicy: defaultMaskingPolicy });
    const [id] = await addContacts(ctx.app, strict, [{ phones: PHONES, pii: PERSON }]);
    await addContacts(ctx.app, usual, [{ phones: PHONES, pii: PERSON }]);

    // Everything else that touches the contact's data.
    const admin = await login(ctx.app, fx.users.admin.username);
    const partner = await login(ctx.app, fx.users.partnerA.username);
    const as = (h: Record<string, string>, method: 'GET' | 'POST', url: string, payload?: object) =>
      ctx.app.inject({ method, url, headers: h, remoteAddress: SEAT_IP, ...(payload ? { payload } : {}) });
    const reveal = await as(admin.headers, 'POST', `/api/contacts/${id}/reveal`, { reason: 'contrôle du scan de données' });
    expect(reveal.json().lastName).toBe(PERSON.lastName); // the scan below would catch a leak
    expect((await as(partner.headers, 'GET', `/api/campaigns/${strict}/results.csv`)).body).toContain(PERSON.customerRef);
    await as(partner.headers, 'GET', `/api/campaigns/${strict}/results`);
    expect((await as(admin.headers, 'POST', '/api/admin/blocklist', { number: '0690 00 98 76', reason: 'Partie civile' })).statusCode).toBe(201);
    await as(admin.headers, 'POST', '/api/admin/blocklist/search', { number: '+590690009876' });
    const { payload, headers } = multipartFile('exclusions.csv', '0590 00 98 71\r\n');
    expect((await ctx.app.inject({ method: 'POST', url: `/api/partners/${fx.partnerA}/suppressions`, headers: { ...partner.headers, ...headers }, payload, remoteAddress: SEAT_IP })).statusCode).toBe(200);
    await addOptOut(ctx.app.db, fx.partnerA, ctx.app.vault.phoneHmac(PHONES[0]!), 'call:scan');

    const columns = await scannableColumns();
    expect(columns.map((c) => `${c.table}.${c.column}`)).toEqual(expect.arrayContaining(['contacts.pii_cipher', 'contacts.masked', 'audit_log.details', 'justice_blocklist.phone_hmac']));

    for (const secret of SECRETS) expect(await findInDatabase(secret), secret).toEqual([]);
    // The first name and city appear only where the campaign's policy shows them to agents.
    expect(await findInDatabase(PERSON.firstName)).toEqual(['contacts.masked']);
    expect(await findInDatabase(PERSON.city)).toEqual(['contacts.masked']);
    const strictCard = await ctx.app.db.selectFrom('contactCards').select('masked').where('campaignId', '=', strict).executeTakeFirstOrThrow();
    expect(strictCard.masked).toMatchObject({ name: 'Z. Q.', city: null, phone: '06 90 •• •• 76' });
  });

  it('the scan finds a value stored in clear (it can fail)', async () => {
    await ctx.app.db.insertInto('justiceBlocklist').values({ phoneHmac: 'not-a-hash', reason: 'oops 0690123987' }).execute();
    expect(await findInDatabase('0690123987')).toEqual(['justice_blocklist.reason']);
    const c = await makeCampaign(ctx.app, fx.partnerB);
    await ctx.app.db.insertInto('campaignKeys').values({ campaignId: c, wrappedKey: Buffer.from('clear Jéromine'), masterKeyId: 'x' }).execute();
    expect(await findInDatabase('Jéromine')).toEqual(['campaign_keys.wrapped_key']);
  });
});
