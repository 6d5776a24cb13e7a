import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMaskingPolicy } from '@passerelle/shared/masking';
import { startTestApp, type TestContext } from './app.ts';
import { COPY_BINARY_HEADER, COPY_BINARY_TRAILER } from '../src/modules/imports/copy-binary.ts';
import { makeBatchProcessor, STAGING_COLUMNS } from '../src/modules/imports/encode.ts';
import { stagingDdl } from '../src/modules/imports/job.ts';
import { dataAad, hmacHex, open } from '../src/modules/vault/crypto.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await startTestApp();
});
afterAll(() => ctx?.close());

describe('binary COPY of staged rows', () => {
  it('round-trips through PostgreSQL: every column as the encoder meant it, blobs the vault opens', async () => {
    const dataKey = randomBytes(32);
    const hmacKey = randomBytes(32);
    const process = makeBatchProcessor({
      mapping: { phones: [1, 2], fields: { lastName: 0, firstName: 3, consent: 4, consentAt: 5, consentSource: 6, language: 7 }, extra: [{ column: 8, name: 'Produit' }] },
      headers: ['Nom', 'Tel', 'Tel 2', 'Prénom', 'Consentement', 'Date', 'Source', 'Langue', 'Produit'],
      defaultRegion: 'GP',
      legalBasisRequired: false,
      now: new Date(),
      campaignId: 'c-copy',
      dataKey,
      hmacKey,
      maskingPolicy: { ...defaultMaskingPolicy, extra: ['Produit'] },
    });
    const batches = [
      process([
        { rowNo: 2, cells: ['Lefèvre \\N', '0690 00 12 34', '+596 696 00 00 01', 'Hélène\t"x"', 'oui', '2025-06-01T08:30:00', 'web\nform', 'créole', 'Œuvre € 😀'] },
        { rowNo: 3, cells: ['', '0690001235'] },
      ]),
      process([{ rowNo: 4, cells: ['Zoé', '0594 12 34 56'] }]),
    ];
    const table = 'import_staging_copy_test';
    await stagingDdl(table).execute(ctx.app.db);
    const client = new pg.Client({ connectionString: ctx.databaseUrl });
    await client.connect();
    try {
      const copy = client.query(copyFrom(`copy ${table} (${STAGING_COLUMNS.join(', ')}) from stdin with (format binary)`));
      copy.write(COPY_BINARY_HEADER);
      for (const b of batches) copy.write(b.copy);
      copy.end(COPY_BINARY_TRAILER);
      await once(copy, 'finish');
    } finally {
      await client.end();
    }
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)} order by row_no`.execute(ctx.app.db);
    expect(rows.map((r) => r.rowNo)).toEqual([2, 4]);
    const [first, second] = rows as Record<string, unknown>[];
    expect(first).toMatchObject({
      phoneHmac: hmacHex(hmacKey, '+590690001234'),
      territory: 'GP',
      timeZone: 'America/Guadeloupe',
      language: 'gcf',
      legalBasis: 'consent',
      consentAt: new Date(Date.UTC(2025, 5, 1, 8, 30)),
      consentSource: 'web\nform',
      masked: { name: 'Hélène "x" L.', phone: '06 90 •• •• 34', extra: { Produit: 'Œuvre € 😀' } },
    });
    const openJson = (blob: unknown) => JSON.parse(open(dataKey, blob as Buffer, dataAad('c-copy')).toString('utf8')) as unknown;
    expect(openJson(first!.phonesCipher)).toEqual(['+590690001234', '+596696000001']);
    expect(openJson(first!.piiCipher)).toMatchObject({ lastName: 'Lefèvre \\N', firstName: 'Hélène\t"x"', extra: { Produit: 'Œuvre € 😀' } });
    expect(second).toMatchObject({ territory: 'GF', legalBasis: null, consentAt: null, consentSource: null, language: 'fr' });
    expect(openJson(second!.phonesCipher)).toEqual(['+594594123456']);
  });
});
