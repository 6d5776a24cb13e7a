import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnMapping, ImportView } from '@passerelle/shared/api/imports';
import { startTestApp, type TestContext } from './app.ts';
import { login, SEAT_IP, seedFixture, type Fixture, type LoggedIn } from './fixtures.ts';
import { addContacts, makeCampaign, partnerApiKey } from './vault-fixtures.ts';
import { confirm, settle, startWorker, upload } from './imports-helpers.ts';
import { zipBomb } from './imports-corpus.ts';
import { openPhones, openPii } from '../src/modules/contacts/pii.ts';

let ctx: TestContext;
let fx: Fixture;
let partnerA: LoggedIn;
let partnerB: LoggedIn;
let admin: LoggedIn;
let worker: { close: () => Promise<void> };

beforeAll(async () => {
  ctx = await startTestApp({ LOGIN_RATE_PER_MIN: '1000' });
  fx = await seedFixture(ctx.app);
  [partnerA, partnerB, admin] = await Promise.all([fx.users.partnerA, fx.users.partnerB, fx.users.admin].map((u) => login(ctx.app, u.username)));
  worker = startWorker(ctx.app);
});
afterAll(async () => {
  await worker?.close();
  await ctx?.close();
});

const HEADER = 'Nom;Prénom;Téléphone;Ville;Code postal';

/** Upload → confirm the suggested mapping → wait for the end, as a partner page does. */
async function runImport(
  campaignId: string,
  name: string,
  content: string | Buffer,
  opts: { acceptValidSubset?: boolean; mapping?: (suggested: ColumnMapping) => ColumnMapping } = {},
): Promise<ImportView> {
  const up = await upload(ctx.app, partnerA.headers, campaignId, name, content);
  expect(up.statusCode, up.body).toBe(201);
  const uploaded = up.json() as ImportView;
  const mapping = opts.mapping ? opts.mapping(uploaded.suggestedMapping) : uploaded.suggestedMapping;
  const res = await confirm(ctx.app, partnerA.headers, uploaded.id, mapping, opts.acceptValidSubset ?? false);
  expect(res.statusCode, res.body).toBe(202);
  return settle(ctx.app, partnerA.headers, uploaded.id);
}

async function contactsOf(campaignId: string, importId?: string) {
  let q = ctx.app.db.selectFrom('contacts').selectAll().where('campaignId', '=', campaignId);
  if (importId) q = q.where('importId', '=', importId);
  const rows = await q.execute();
  const key = await ctx.app.vault.keyFor(campaignId);
  return rows.map((r) => ({ ...r, phones: openPhones(ctx.app.vault, key, r.phonesCipher), pii: openPii(ctx.app.vault, key, r.piiCipher) }));
}

describe('happy path', () => {
  it('imports a UTF-8 BOM, CRLF, semicolon file in one go', async () => {
    const campaign = await makeCampaign(ctx.app, fx.partnerA);
    const file = '\uFEFF' + [HEADER, 'Dupont;Marie;0690 00 12 34;Baie-Mahault;97122', 'Durand;Jean;+596 696 00 12 35;Fort-de-France;97200', 'Petit;Léa;06.12.34.56.78;Paris;75011'].join('\r\n') + '\r\n';
    const up = await upload(ctx.app, partnerA.headers, campaign, 'clients.csv', file);
    expect(up.statusCode, up.body).toBe(201);
    const view = up.json() as ImportView;
    expect(view).toMatchObject({ status: 'uploaded', encoding: 'utf-8', delimiter: ';', hasHeader: true, headers: HEADER.split(';') });
    expect(view.suggestedMapping).toEqual({ phones: [2], fields: { lastName: 0, firstName: 1, city: 3, postalCode: 4 }, extra: [] });
    // The preview is masked: never a full number or name.
    expect(view.preview[0]).toEqual(['••••••', '•••••', '06 90 •• •• 34', 'Ba••••lt', '•••••']);
    expect(JSON.stringify(view.preview)).not.toMatch(/0690001234|Dupont|Marie/);

    const res = await confirm(ctx.app, partnerA.headers, view.id, view.suggestedMapping);
    expect(res.statusCode).toBe(202);
    const done = await settle(ctx.app, partnerA.headers, view.id);
    expect(done).toMatchObject({ status: 'completed', counts: { read: 3, accepted: 3, rejected: 0, imported: 3 }, reasons: {} });
    const contacts = await contactsOf(campaign);
    expect(contacts.map((c) => [c.phones[0], c.territory, c.timeZone]).sort()).toEqual([
      ['+33612345678', 'FR', 'Europe/Paris'],
      ['+590690001234', 'GP', 'America/Guadeloupe'],
      ['+596696001235', 'MQ', 'America/Martinique'],
    ]);
    const marie = contacts.find((c) => c.pii.firstName === 'Marie')!;
    expect(marie.pii).toMatchObject({ lastName: 'Dupont', city: 'Baie-Mahault', postalCode: '97122' });
    expect(marie.masked).toMatchObject({ name: 'Marie D.', phone: '06 90 •• •• 34', department: '971' });
    expect(marie.phoneHmac).toBe(ctx.app.vault.phoneHmac('+590690001234'));
    // The upload is gone once imported; the staging table too.
    expect(existsSync(path.join(ctx.config.DATA_DIR, 'imports', campaign, `${view.id}.enc`))).toBe(false);
  });
});
