import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultMaskingPolicy } from '@passerelle/shared/masking';
import { makeBatchProcessor, STAGING_COLUMNS } from './encode.ts';
import { packRows, unpackRows } from './packed.ts';
import { readTuples } from './copy-tuples.test-helper.ts';
import { dataAad, hmacHex, open } from '../vault/crypto.ts';
import type { RawRow } from './parsing/rows.ts';

describe('batch encoding', () => {
  it('writes vault blobs that the vault opens, with the vault HMAC, as binary COPY tuples', () => {
    const dataKey = randomBytes(32);
    const hmacKey = randomBytes(32);
    const process = makeBatchProcessor({
      mapping: { phones: [1], fields: { lastName: 0, consent: 2, consentAt: 3, consentSource: 4 }, extra: [] },
      headers: ['Nom', 'Tel', 'Consentement', 'Date', 'Source'],
      defaultRegion: 'GP',
      legalBasisRequired: false,
      now: new Date(),
      campaignId: 'c-1',
      dataKey,
      hmacKey,
      maskingPolicy: defaultMaskingPolicy,
    });
    const result = process([
      { rowNo: 2, cells: ['Dupont\tTab\\ Hélène', '0690001234'] },
      { rowNo: 3, cells: ['X', 'inconnu'] },
      { rowNo: 4, problem: 'malformed_row' },
      { rowNo: 5, cells: ['Zoé', '0696 00 00 01', 'oui', '31/12/2025 14:30', 'site web'] },
    ]);
    expect(result.rejects.map((r) => [r.rowNo, r.reason])).toEqual([[3, 'invalid_number'], [4, 'malformed_row']]);
    expect(result.staged).toBe(2);
    const rows = readTuples(result.copy);
    expect(rows.map((r) => r.length)).toEqual([STAGING_COLUMNS.length, STAGING_COLUMNS.length]);
    const [first, second] = rows as Buffer[][];
    expect(first![0]!.readInt32BE(0)).toBe(2);
    expect(first![1]!.toString()).toBe(hmacHex(hmacKey, '+590690001234'));
    expect(JSON.parse(open(dataKey, first![2]!, dataAad('c-1')).toString())).toEqual(['+590690001234']);
    expect(JSON.parse(open(dataKey, first![3]!, dataAad('c-1')).toString())).toMatchObject({ lastName: 'Dupont\tTab\\ Hélène' });
    expect(() => open(dataKey, first![3]!, dataAad('c-2'))).toThrow();
    expect(first!.slice(4, 7).map(String)).toEqual(['GP', 'America/Guadeloupe', 'fr']);
    expect([first![7], first![8], first![9]]).toEqual([null, null, null]);
    expect(JSON.parse(first![10]!.subarray(1).toString())).toMatchObject({ name: 'D.', phone: '06 90 •• •• 34' });
    // Every blob has its own IV.
    expect(first![2]!.subarray(1, 13).equals(first![3]!.subarray(1, 13))).toBe(false);
    expect(String(second![7])).toBe('consent');
    expect(second![8]!.readBigInt64BE(0)).toBe(BigInt(Date.UTC(2025, 11, 31, 14, 30) - Date.UTC(2000, 0, 1)) * 1000n);
    expect(String(second![9])).toBe('site web');
  });

  it('packs a batch for a worker thread and unpacks it identically', () => {
    const rows: RawRow[] = [
      { rowNo: 2, cells: ['a', '', 'Hélène 😀', '0690'] },
      { rowNo: 3, problem: 'cell_too_long' },
      { rowNo: 5, cells: [] },
      { rowNo: 6, problem: 'too_many_columns' },
      { rowNo: 7, problem: 'malformed_row' },
    ];
    expect(unpackRows(structuredClone(packRows(rows)))).toEqual(rows);
  });
});
