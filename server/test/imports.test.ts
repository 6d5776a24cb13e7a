import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import type { ColumnMapping, ImportView } from '@passerelle/shared/api/imports';
import type { ImportProgress } from '@passerelle/shared/events';
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
  partnerA = await login(ctx.app, fx.users.partnerA.username);
  partnerB = await login(ctx.app, fx.users.partnerB.username);
  admin = await login(ctx.app, fx.users.admin.username);
  worker = await startWorker(ctx.app);
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

describe('hostile and messy corpus (exact counts)', () => {
  it('Windows-1252 accents (French Excel "CSV séparateur point-virgule")', async () => {
    const campaign = await makeCampaign(ctx.app, fx.partnerA);
    const text = [HEADER, 'Lefèvre;Hélène;0690 00 20 01;Pointe-à-Pitre;97110', 'Gaëlle;Françoise;0690 00 20 02;Le Gosier;97190', 'Œillet;Noël;0690 00 20 03;Saint-François;97118'].join('\r\n');
    const view = await runImport(campaign, 'accents.csv', iconv.encode(text, 'windows-1252'));
    expect(view).toMatchObject({ status: 'completed', encoding: 'windows-1252', delimiter: ';', counts: { read: 3, accepted: 3, rejected: 0, imported: 3 } });
    const names = (await contactsOf(campaign)).map((c) => `${c.pii.firstName} ${c.pii.lastName} ${c.pii.city}`).sort();
    expect(names).toEqual(['Françoise Gaëlle Le Gosier', 'Hélène Lefèvre Pointe-à-Pitre', 'Noël Œillet Saint-François']);
  });

  it('commas, LF, quoted separators and quoted newlines', async () => {
    const campaign = await makeCampaign(ctx.app, fx.partnerA);
    const text = 'Nom,Prénom,Mobile,Ville\n"Martin, Jr",Paul,0690002101,"Basse-\nTerre"\n"Dit ""Ti-Jo""",Joseph,"0690 00 21 02",Sainte-Anne\n';
    const view = await runImport(campaign, 'virgules.csv', text);
    expect(view).toMatchObject({ status: 'completed', delimiter: ',', counts: { read: 2, accepted: 2, rejected: 0 } });
    const pii = (await contactsOf(campaign)).map((c) => [c.pii.lastName, c.pii.city]).sort();
    expect(pii).toEqual([['Dit "Ti-Jo"', 'Sainte-Anne'], ['Martin, Jr', 'Basse-\nTerre']]);
  });

  it('tab-separated UTF-16 "Texte Unicode" export', async () => {
    const campaign = await makeCampaign(ctx.app, fx.partnerA);
    const text = 'Nom\tTéléphone\r\nBéatrice\t0690002201\r\nZoé\t0690002202\r\n';
    const view = await runImport(campaign, 'unicode.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]));
    expect(view).toMatchObject({ status: 'completed', encoding: 'utf-16le', delimiter: '\t', counts: { accepted: 2, rejected: 0 } });
  });

  it('ragged rows: short rows without a number are refused; the rest waits for the partner', async () => {
    const campaign = await makeCampaign(ctx.app, fx.partnerA);
    const text = [HEADER, 'Roux;Ana;0690002301', 'Blanc;Eva;0690002302;Le Moule;97160;en trop;encore', 'Noir;Ines', 'Vert;Lou;0690002304;Goyave'].join('\n');
    const view = await runImport(campaign, 'ragged.csv', text);
    // Invariant 7: one bad row → nothing imported until the partner decides.
    expect(view).toMatchObject({ status: 'awaiting_confirmation', counts: { read: 4, accepted: 3, rejected: 1, imported: 0 }, reasons: { missing_required: 1 } });
    expect(await contactsOf(campaign)).toHaveLength(0);
    const accepted = await ctx.app.inject({ method: 'POST', url: `/api/imports/${view.id}/accept`, headers: partnerA.headers, remoteAddress: SEAT_IP });
    expect(accepted.statusCode).toBe(202);
    const done = await settle(ctx.app, partnerA.headers, view.id);
    expect(done).toMatchObject({ status: 'completed', counts: { accepted: 3, rejected: 1, imported: 3 } });
    expect(await contactsOf(campaign)).toHaveLength(3);
  });

  it('empty file and header-only file are refused at upload, nothing kept', async () => {
    const campaign = await makeCampaign(ctx.app, fx.partnerA);
    const empty = await upload(ctx.app, partnerA.headers, campaign, 'vide.csv', '');
    expect(empty.statusCode).toBe(422);
    expect(empty.json().error.code).toBe('EMPTY_FILE');
    const blank = await upload(ctx.app, partnerA.headers, campaign, 'blanc.csv', '\r\n\r\n');
    expect(blank.json().error.code).toBe('EMPTY_FILE');
    const headerOnly = await upload(ctx.app, partnerA.headers, campaign, 'entete.csv', HEADER + '\r\n');
    expect(headerOnly.statusCode).toBe(422);
    expect(headerOnly.json().error).toMatchObject({ code: 'NO_DATA_ROWS', message: expect.stringMatching(/aucune donnée/) });
    expect(await ctx.app.db.selectFrom('imports').where('campaignId', '=', campaign).select('id').execute()).toHaveLength(0);
    expect(readdirSync(path.join(ctx.config.DATA_DIR, 'imports', campaign))).toEqual([]);
  });

  it('a row of 50,000 columns is refused on its own; the file goes on', async () => {
    const campaign = await makeCampaign(ctx.app, fx.partnerA);
    const wide = 'Large;' + '0690002402;'.repeat(50_000);
    const text = [HEADER, 'Un;A;0690002401', wide, 'Trois;C;0690002403', 'Long;D;0690002404;' + 'x'.repeat(5_000)].join('\n');
    const view = await runImport(campaign, 'large.csv', text, { acceptValidSubset: true });
    expect(view).toMatchObject({ status: 'completed', counts: { read: 4, accepted: 2, rejected: 2, imported: 2 }, reasons: { too_many_columns: 1, cell_too_long: 1 } });
  });

  it('binary junk named .csv is refused with a clear error', async () => {
    const campaign = await makeCampaign(ctx.app, fx.partnerA);
    const junk = Buffer.concat([Buffer.from('Nom;Tel\n'), randomBytes(4096), Buffer.alloc(16)]);
    const res = await upload(ctx.app, partnerA.headers, campaign, 'clients.csv', junk);
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'BINARY_FILE', message: expect.stringMatching(/binaire/) });
    const png = await upload(ctx.app, partnerA.headers, campaign, 'photo.csv', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(100)]));
    expect(png.statusCode).toBe(415);
    expect(png.json().error.code).toBe('UNSUPPORTED_FILE_TYPE');
  });

  it('XLSX: formulas give their cached result (never evaluated), numbers without their 0 still parse', async () => {
    const campaign = await makeCampaign(ctx.app, fx.partnerA);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Clients');
    ws.addRow(['Nom', 'Prénom', 'Tél. portable', 'Date de naissance']);
    ws.addRow([{ formula: 'UPPER("dupont")', result: 'DUPONT' }, 'Marc', '0690 00 25 01', new Date(Date.UTC(1980, 4, 17))]);
    ws.addRow(['Morel', 'Anne', 690002502, '17/05/1981']);
    ws.addRow(['Calc', 'Bob', { formula: 'CONCAT("0690","002503")', result: '0690002503' }, null]);
    ws.addRow(['SansCache', 'Eve', { formula: 'CONCAT("0690","002504")' }, null]);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const view = await runImport(campaign, 'clients.xlsx', xlsx, { acceptValidSubset: true });
    expect(view).toMatchObject({ fileKind: 'xlsx', status: 'completed', counts: { read: 4, accepted: 3, rejected: 1 }, reasons: { missing_required: 1 } });
    const byName = Object.fromEntries((await contactsOf(campaign)).map((c) => [c.pii.lastName, c]));
    expect(byName.DUPONT!.pii.birthDate).toBe('1980-05-17');
    expect(byName.Morel!.phones).toEqual(['+590690002502']);
    expect(byName.Calc!.phones).toEqual(['+590690002503']);
  });

  it('an XLSX zip bomb is refused before it inflates, nothing kept', async () => {
    const campaign = await makeCampaign(ctx.app, fx.partnerA);
    const bomb = zipBomb(200);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const res = await upload(ctx.app, partnerA.headers, campaign, 'bombe.xlsx', bomb);
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'XLSX_TOO_LARGE', message: expect.stringMatching(/bombe|volumineux/) });
    expect(readdirSync(path.join(ctx.config.DATA_DIR, 'imports', campaign))).toEqual([]);
  });

  it('a record too large to parse, deep in the file, fails the import and leaves nothing behind', async () => {
    const campaign = await makeCampaign(ctx.app, fx.partnerA);
    const rows = Array.from({ length: 20 }, (_, i) => `Ok${i};A;06900031${String(i).padStart(2, '0')}`);
    const text = [HEADER, ...rows, `Géant;"${'z'.repeat(1_100_000)}";0690003199`, 'Après;B;0690003198'].join('\n');
    const view = await runImport(campaign, 'geant.csv', text, { acceptValidSubset: true });
    expect(view).toMatchObject({ status: 'failed', error: { code: 'ROW_TOO_LARGE' }, counts: { imported: 0 } });
    expect(await contactsOf(campaign)).toHaveLength(0);
    expect(await ctx.app.db.selectFrom('importRejects').where('importId', '=', view.id).select('rowNo').execute()).toHaveLength(0);
    expect(existsSync(path.join(ctx.config.DATA_DIR, 'imports', campaign, `${view.id}.enc`))).toBe(false);
    const audit = await ctx.app.db.selectFrom('auditLog').select(['action', 'details']).where('targetId', '=', view.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['import.upload', 'import.mapping', 'import.failed']);
  });

  it('=HYPERLINK(...) and <script> in names are stored as inert text', async () => {
    const campaign = await makeCampaign(ctx.app, fx.partnerA);
    const text = [HEADER, '"=HYPERLINK(""http://evil.example/x"";""clic"")";Pirate;0690002601', '<script>alert(1)</script>;Xss;0690002602', '@SUM(1+1);Plus;0690002603'].join('\n');
    const view = await runImport(campaign, 'injection.csv', text);
    expect(view).toMatchObject({ status: 'completed', counts: { accepted: 3, rejected: 0 } });
    const lastNames = (await contactsOf(campaign)).map((c) => c.pii.lastName).sort();
    expect(lastNames).toEqual(['<script>alert(1)</script>', '=HYPERLINK("http://evil.example/x";"clic")', '@SUM(1+1)']);
  });

  it('numbers in every French and overseas format, duplicates, block lists', async () => {
    const campaign = await makeCampaign(ctx.app, fx.partnerA);
    await addContacts(ctx.app, campaign, [{ phones: ['+590690002799'], pii: { lastName: 'Déjà' } }]);
    await ctx.app.db.insertInto('partnerSuppressions').values({ partnerId: fx.partnerA, phoneHmac: ctx.app.vault.phoneHmac('+590690002798') }).execute();
    await ctx.app.db.insertInto('justiceBlocklist').values({ phoneHmac: ctx.app.vault.phoneHmac('+596696002797'), reason: 'partie civile' }).execute();
    await ctx.app.db.insertInto('optOuts').values({ partnerId: fx.partnerA, phoneHmac: ctx.app.vault.phoneHmac('+33612340096'), source: 'call:test' }).execute();
    const rows: Array<[string, string]> = [
      // accepted (14)
      ['A01', '+590 690 00 27 01'], ['A02', '0690 00 27 02'], ['A03', '0690.00.27.03'], ['A04', '06-90-00-27-04'],
      ['A05', '(0690) 00 27 05'], ['A06', '00590 690 00 27 06'], ['A07', '0590 82 27 07'], ['A08', '+596 696 00 27 08'],
      ['A09', '+594 694 00 27 09'], ['A10', '+262 692 00 27 10'], ['A11', '+262 639 00 27 11'], ['A12', '+33 6 12 34 00 12'],
      ['A13', '+33 (0)1 23 45 00 13'], ['A14', '690002714'],
      // refused (12)
      ['R01', '0690 00 27'], ['R02', 'pas de numéro'], ['R03', '0899 12 34 56'], ['R04', '3949'], ['R05', '+1 212 555 0100'],
      ['R06', ''], ['R07', '+590690002701'], ['R08', '0690 00 27 99'], ['R09', '0690002798'], ['R10', '+596696002797'],
      ['R11', '06 12 34 00 96'], ['R12', '0596 60 27 12'],
    ];
    const text = ['Nom;Téléphone', ...rows.map(([n, p]) => `${n};${p}`)].join('\r\n');
    const view = await runImport(campaign, 'formats.csv', text, { acceptValidSubset: true });
    expect(view).toMatchObject({ status: 'completed', counts: { read: 26, accepted: 14, rejected: 12, imported: 14 } });
    expect(view.reasons).toEqual({
      invalid_number: 2, not_dialable: 2, unknown_region: 2, missing_required: 1, duplicate_in_file: 1, duplicate_in_campaign: 1, blocked: 3,
    });
    const territories = (await contactsOf(campaign, view.id)).map((c) => c.territory).sort();
    expect(territories).toEqual(['FR', 'FR', 'GF', 'GP', 'GP', 'GP', 'GP', 'GP', 'GP', 'GP', 'GP', 'MQ', 'RE', 'YT']);

    const csv = await ctx.app.inject({ method: 'GET', url: `/api/imports/${view.id}/errors.csv`, headers: partnerA.headers, remoteAddress: SEAT_IP });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('ligne;colonne;code;motif;valeur (masquée)');
    expect(lines).toHaveLength(13);
    expect(lines).toContain('16;Téléphone;invalid_number;Numéro de téléphone invalide;06••••27');
    expect(lines).toContain('21;Téléphone;missing_required;Champ obligatoire manquant;téléphone');
    expect(lines).toContain('22;Téléphone;duplicate_in_file;Numéro en double dans le fichier;ligne 2');
    // The partner learns the number is excluded, not that it is on the justice list.
    expect(lines.filter((l) => l.includes(';blocked;'))).toEqual([
      '24;Téléphone;blocked;Numéro sur une liste d’exclusion;liste d’exclusion',
      '25;Téléphone;blocked;Numéro sur une liste d’exclusion;liste d’exclusion',
      '26;Téléphone;blocked;Numéro sur une liste d’exclusion;liste d’exclusion',
    ]);
    expect(csv.body).not.toMatch(/069000\d{4}|690002\d{3}|justice/);
    const staff = await ctx.app.inject({ method: 'GET', url: `/api/imports/${view.id}/errors.csv`, headers: admin.headers, remoteAddress: SEAT_IP });
    expect(staff.body).toContain(';blocked;Numéro sur une liste d’exclusion;justice');
  });

  it('canvassing campaigns need a contract or a dated, sourced consent; dates are checked', async () => {
    const campaign = await makeCampaign(ctx.app, fx.partnerA, { type: 'appointment' });
    const text = [
      'Nom;Téléphone;Contrat en cours;Consentement;Date consentement;Source consentement;Date de naissance',
      'Contrat;0690002801;oui;;;;',
      'Consent;0690002802;non;Oui;12/03/2026;site web;01/02/1970',
      'ConsentIso;0690002803;;1;2026-03-12T10:30:00;salon;1970-02-01',
      'SansDate;0690002804;;oui;;boutique;',
      'SansSource;0690002805;;oui;12/03/2026;;',
      'Rien;0690002806;non;non;;;',
      'DateFausse;0690002807;;oui;31/02/2026;site web;',
      'Naissance;0690002808;oui;;;;31/13/1980',
      'Futur;0690002809;oui;;;;01/01/2999',
      'DeuxChiffres;0690002810;oui;;;;01/01/80',
    ].join('\n');
    const view = await runImport(campaign, 'rgpd.csv', text, { acceptValidSubset: true });
    expect(view).toMatchObject({ status: 'completed', counts: { read: 10, accepted: 3, rejected: 7 } });
    expect(view.reasons).toEqual({ no_legal_basis: 3, bad_date: 4 });
    const basis = Object.fromEntries((await contactsOf(campaign)).map((c) => [c.pii.lastName, [c.legalBasis, c.consentAt?.toISOString() ?? null, c.consentSource]]));
    expect(basis).toEqual({
      Contrat: ['contract', null, null],
      Consent: ['consent', '2026-03-12T00:00:00.000Z', 'site web'],
      ConsentIso: ['consent', '2026-03-12T10:30:00.000Z', 'salon'],
    });
  });
});

describe('live progress', () => {
  it('pushes import progress to the partner’s sockets only (socket.io /partner)', async () => {
    await ctx.app.listen({ host: '127.0.0.1', port: 0 });
    const address = ctx.app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const open = (cookie: string) => {
      const socket = connect(`${url}/partner`, { forceNew: true, transports: ['websocket'], extraHeaders: { cookie } });
      const events: ImportProgress[] = [];
      socket.on('import:progress', (p: ImportProgress) => events.push(p));
      return { socket, events, ready: new Promise((r) => socket.once('snapshot', r)) };
    };
    const a = open(partnerA.cookie);
    const b = open(partnerB.cookie);
    try {
      await Promise.all([a.ready, b.ready]);
      const campaign = await makeCampaign(ctx.app, fx.partnerA);
      const view = await runImport(campaign, 'live.csv', [HEADER, 'Live;Ly;0690003301', 'Live;Lo;0690003302'].join('\n'));
      expect(view.status).toBe('completed');
      const until = Date.now() + 5_000;
      while (!a.events.some((e) => e.status === 'completed') && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(a.events.at(-1)).toEqual({ importId: view.id, campaignId: campaign, status: 'completed', processed: 2, total: 2, errors: 0 });
      expect(b.events).toEqual([]);
    } finally {
      a.socket.close();
      b.socket.close();
    }
  });
});

describe('upload rules', () => {
  it('refuses wrong extensions and contents that do not match them', async () => {
    const campaign = await makeCampaign(ctx.app, fx.partnerA);
    const pdf = await upload(ctx.app, partnerA.headers, campaign, 'clients.pdf', '%PDF-1.4');
    expect(pdf.statusCode).toBe(415);
    expect(pdf.json().error).toMatchObject({ code: 'UNSUPPORTED_FILE_TYPE', message: expect.stringMatching(/\.csv, \.txt ou \.xlsx/) });
    const xls = await upload(ctx.app, partnerA.headers, campaign, 'clients.xls', 'Nom;Tel\nA;0690000000');
    expect(xls.statusCode).toBe(415);
    const fakeXlsx = await upload(ctx.app, partnerA.headers, campaign, 'clients.xlsx', 'Nom;Tel\nA;0690000000');
    expect(fakeXlsx.statusCode).toBe(415);
    const zipAsCsv = await upload(ctx.app, partnerA.headers, campaign, 'clients.csv', Buffer.concat([Buffer.from('PK\x03\x04'), randomBytes(64)]));
    expect(zipAsCsv.statusCode).toBe(415);
    expect(readdirSync(path.join(ctx.config.DATA_DIR, 'imports', campaign))).toEqual([]);
  });

  it('recognises the same file uploaded twice', async () => {
    const campaign = await makeCampaign(ctx.app, fx.partnerA);
    const text = [HEADER, 'Une;Fois;0690002901'].join('\n');
    const first = await runImport(campaign, 'a.csv', text);
    expect(first.status).toBe('completed');
    const again = await upload(ctx.app, partnerA.headers, campaign, 'copie-de-a.csv', text);
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'DUPLICATE_FILE', details: { importId: first.id } });
    expect(await contactsOf(campaign)).toHaveLength(1);
    // Another campaign may receive the same file.
    const other = await makeCampaign(ctx.app, fx.partnerA);
    expect((await upload(ctx.app, partnerA.headers, other, 'a.csv', text)).statusCode).toBe(201);
  });

  it('stores the upload encrypted: no clear byte of the file on disk', async () => {
    const campaign = await makeCampaign(ctx.app, fx.partnerA);
    const text = [HEADER, 'Chiffré;Secret;0690003001;Capesterre;97130'].join('\n');
    const up = await upload(ctx.app, partnerA.headers, campaign, 'secret.csv', text);
    const id = (up.json() as ImportView).id;
    const { readFileSync } = await import('node:fs');
    const stored = readFileSync(path.join(ctx.config.DATA_DIR, 'imports', campaign, `${id}.enc`));
    expect(stored.includes(Buffer.from('0690003001'))).toBe(false);
    expect(stored.includes(Buffer.from('Capesterre'))).toBe(false);
    // Cancelling removes the file.
    const cancel = await ctx.app.inject({ method: 'POST', url: `/api/imports/${id}/cancel`, headers: partnerA.headers, remoteAddress: SEAT_IP });
    expect(cancel.statusCode).toBe(200);
    expect(cancel.json().status).toBe('cancelled');
    expect(existsSync(path.join(ctx.config.DATA_DIR, 'imports', campaign, `${id}.enc`))).toBe(false);
    // A cancelled file may be sent again.
    expect((await upload(ctx.app, partnerA.headers, campaign, 'secret.csv', text)).statusCode).toBe(201);
  });

  it('partners are isolated; the partner API key may upload', async () => {
    const campaignA = await makeCampaign(ctx.app, fx.partnerA);
    const text = [HEADER, 'Iso;Lé;0690003101'].join('\n');
    const intruder = await upload(ctx.app, partnerB.headers, campaignA, 'b.csv', text);
    expect(intruder.statusCode).toBe(404);
    const keyA = await partnerApiKey(ctx.app, fx.partnerA);
    const viaKey = await upload(ctx.app, keyA, campaignA, 'api.csv', text);
    expect(viaKey.statusCode, viaKey.body).toBe(201);
    const id = (viaKey.json() as ImportView).id;
    for (const url of [`/api/imports/${id}`, `/api/imports/${id}/errors.csv`, `/api/campaigns/${campaignA}/imports`]) {
      const res = await ctx.app.inject({ method: 'GET', url, headers: partnerB.headers, remoteAddress: SEAT_IP });
      expect(res.statusCode, url).toBe(404);
    }
    const mapping = await confirm(ctx.app, partnerB.headers, id, { phones: [2], fields: { lastName: 0 }, extra: [] });
    expect(mapping.statusCode).toBe(404);
    const cancel = await ctx.app.inject({ method: 'POST', url: `/api/imports/${id}/cancel`, headers: partnerB.headers, remoteAddress: SEAT_IP });
    expect(cancel.statusCode).toBe(404);
    const trainee = await login(ctx.app, fx.users.trainee.username);
    expect((await upload(ctx.app, trainee.headers, campaignA, 't.csv', text)).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/imports/${id}`, headers: trainee.headers, remoteAddress: SEAT_IP })).statusCode).toBe(403);
  });

  it('saves the confirmed mapping per partner and suggests it for the next file with the same columns', async () => {
    const campaign = await makeCampaign(ctx.app, fx.partnerA);
    const header = 'Référence;Nom complet;Portable;Fixe;Produit';
    const first = await upload(ctx.app, partnerA.headers, campaign, 'm1.csv', [header, 'C-1;Nadal;0690003201;0590823201;Fibre'].join('\n'));
    const view = first.json() as ImportView;
    expect(view.suggestedMapping).toEqual({ phones: [2, 3], fields: { customerRef: 0 }, extra: [] });
    const edited: ColumnMapping = { phones: [3, 2], fields: { customerRef: 0, lastName: 1 }, extra: [{ column: 4, name: 'Produit' }] };
    expect((await confirm(ctx.app, partnerA.headers, view.id, { ...edited, fields: { customerRef: 0 } })).statusCode).toBe(400);
    expect((await confirm(ctx.app, partnerA.headers, view.id, edited)).statusCode).toBe(202);
    const done = await settle(ctx.app, partnerA.headers, view.id);
    expect(done.status).toBe('completed');
    const [contact] = await contactsOf(campaign);
    expect(contact!.phones).toEqual(['+590590823201', '+590690003201']);
    expect(contact!.pii.extra).toEqual({ Produit: 'Fibre' });
    const second = await upload(ctx.app, partnerA.headers, campaign, 'm2.csv', [header, 'C-2;Pérec;0690003202;;Box'].join('\n'));
    expect((second.json() as ImportView).suggestedMapping).toEqual(edited);
    // Partner B's files are not suggested partner A's mapping.
    const campaignB = await makeCampaign(ctx.app, fx.partnerB);
    const third = await upload(ctx.app, partnerB.headers, campaignB, 'm3.csv', [header, 'C-3;Sand;0690003203;;Box'].join('\n'));
    expect((third.json() as ImportView).suggestedMapping).toEqual({ phones: [2, 3], fields: { customerRef: 0 }, extra: [] });
  });

  it('keeps no clear phone number or name in any import table', async () => {
    // Every stored column except ciphertext and keyed hashes (whose hex could match anything).
    const dump = await sql<{ all: string }>`select
      (select coalesce(string_agg((to_jsonb(t) - 'phones_cipher' - 'pii_cipher' - 'phone_hmac')::text, '|'), '') from contacts t) ||
      (select coalesce(string_agg((to_jsonb(t) - 'file_key_cipher' - 'content_sha256' - 'header_signature')::text, '|'), '') from imports t) ||
      (select coalesce(string_agg(to_jsonb(t)::text, '|'), '') from import_rejects t) as all`.execute(ctx.app.db);
    // Ids are random hex: a digit run inside one could pass for a number.
    const text = dump.rows[0]!.all.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>');
    expect(text.length).toBeGreaterThan(1000);
    expect(text).not.toMatch(/\+\d{9,}|0[5-7]\d{8}|0[5-7](?:[ .-]\d{2}){4}|69000\d{4}/);
    // Last names stay in the vault (the masked card shows first name + initial, by policy).
    const leak = /Lefèvre|Dupont|Durand|HYPERLINK|Œillet/.exec(text);
    expect(leak ? text.slice(Math.max(0, leak.index - 200), leak.index + 50) : null).toBeNull();
  });
});

describe('files as partners really send them', () => {
  it('a file whose headers name no phone column gets an empty suggestion; the partner picks the column', async () => {
    const campaign = await makeCampaign(ctx.app, fx.partnerA);
    const up = await upload(ctx.app, partnerA.headers, campaign, 'sans-entete.csv', 'Dupont;Marie;0690004101\nDurand;Jean;0690004102\n');
    expect(up.statusCode, up.body).toBe(201);
    const uploaded = up.json() as ImportView;
    expect(uploaded).toMatchObject({ hasHeader: false, suggestedMapping: { phones: [] } });
    for (const url of [`/api/imports/${uploaded.id}`, `/api/campaigns/${campaign}/imports`]) {
      expect((await ctx.app.inject({ method: 'GET', url, headers: partnerA.headers, remoteAddress: SEAT_IP })).statusCode, url).toBe(200);
    }
    const res = await confirm(ctx.app, partnerA.headers, uploaded.id, { phones: [2], fields: { lastName: 0, firstName: 1 }, extra: [] });
    expect(res.statusCode, res.body).toBe(202);
    expect(await settle(ctx.app, partnerA.headers, uploaded.id)).toMatchObject({ status: 'completed', counts: { imported: 2 } });
  });

  it('a refused file (nothing imported) may be sent again', async () => {
    const campaign = await makeCampaign(ctx.app, fx.partnerA);
    const text = [HEADER, 'Faux;Numéro;123', 'Autre;Faux;456'].join('\n');
    expect(await runImport(campaign, 'refus.csv', text)).toMatchObject({ status: 'rejected', counts: { imported: 0 } });
    expect((await upload(ctx.app, partnerA.headers, campaign, 'refus-corrige.csv', text)).statusCode).toBe(201);
  });

  it('reads as Windows-1252 a file whose first accent comes after thousands of plain rows', async () => {
    const campaign = await makeCampaign(ctx.app, fx.partnerA);
    const plain = Array.from({ length: 4_000 }, (_, i) => `Nom${i};Prenom;069005${String(i).padStart(4, '0')};Ville;97100`);
    const file = iconv.encode([HEADER, ...plain, 'Hélène;François;0690059999;Sainte-Anne;97180'].join('\r\n'), 'windows-1252');
    const view = await runImport(campaign, 'export-excel.csv', file);
    expect(view).toMatchObject({ status: 'completed', encoding: 'windows-1252', counts: { imported: 4_001 } });
    const accented = (await contactsOf(campaign)).find((c) => c.phones[0] === '+590690059999');
    expect(accented?.pii).toMatchObject({ lastName: 'Hélène', firstName: 'François', city: 'Sainte-Anne' });
  });

  it('a quote opened and never closed is refused with its row, at upload or in the job, and nothing is imported', async () => {
    const campaign = await makeCampaign(ctx.app, fx.partnerA);
    const after = (n: number) => Array.from({ length: n }, (_, i) => `Après${i};C;06900${String(43000 + i)}`);
    // Near the top: the preview already reads to the end of the file.
    const early = await upload(ctx.app, partnerA.headers, campaign, 'guillemet.csv', [HEADER, 'Avant;A;0690004201', '"Résidence;B;0690004202', ...after(50)].join('\n'));
    expect(early.statusCode).toBe(422);
    expect(early.json().error).toMatchObject({ code: 'UNCLOSED_QUOTE', details: { row: 3 }, message: expect.stringContaining('ligne 3') });
    expect(readdirSync(path.join(ctx.config.DATA_DIR, 'imports', campaign))).toEqual([]);
    // Far down: the job stops there instead of reading every later row into one cell.
    const before = Array.from({ length: 3_000 }, (_, i) => `Avant${i};A;06900${String(40000 + i)};Ville;97100`);
    const view = await runImport(campaign, 'guillemet-loin.csv', [HEADER, ...before, '"Résidence;B;0690049999', ...after(50)].join('\n'));
    expect(view).toMatchObject({ status: 'failed', error: { code: 'UNCLOSED_QUOTE', message: expect.stringContaining('ligne 3002') }, counts: { imported: 0 } });
    expect(await contactsOf(campaign)).toHaveLength(0);
  });

  it('blank lines and rows of separators only are not errors, and rows keep the numbers Excel shows', async () => {
    const campaign = await makeCampaign(ctx.app, fx.partnerA);
    const text = [HEADER, '', 'Un;A;0690004401', ';;;;', 'Deux;B;123', ';;;;'].join('\r\n');
    const view = await runImport(campaign, 'lignes-vides.csv', text, { acceptValidSubset: true });
    expect(view).toMatchObject({ status: 'completed', counts: { read: 2, accepted: 1, rejected: 1, imported: 1 } });
    const csv = await ctx.app.inject({ method: 'GET', url: `/api/imports/${view.id}/errors.csv`, headers: partnerA.headers, remoteAddress: SEAT_IP });
    expect(csv.body.replace(/^\uFEFF/, '').trim().split('\r\n').slice(1)).toEqual([expect.stringMatching(/^5;Téléphone;/)]);
  });
});
