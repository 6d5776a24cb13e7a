import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { defaultMaskingPolicy } from '@passerelle/shared/masking';
import { decryptStream, encryptStream, newFileKey } from './filecrypt.ts';
import { makeBatchProcessor } from './encode.ts';
import { dataAad, hmacHex, open } from '../vault/crypto.ts';

const encrypt = (key: Buffer, data: Buffer, chunk = 1000) =>
  buffer(Readable.from(Array.from({ length: Math.ceil(data.length / chunk) || 1 }, (_, i) => data.subarray(i * chunk, (i + 1) * chunk))).pipe(encryptStream(key)));
const decrypt = (key: Buffer, data: Buffer, chunk = 777) =>
  buffer(Readable.from(Array.from({ length: Math.ceil(data.length / chunk) }, (_, i) => data.subarray(i * chunk, (i + 1) * chunk))).pipe(decryptStream(key)));

describe('upload encryption at rest', () => {
  it.each([0, 1, 65_535, 65_536, 65_537, 200_000])('round-trips %i bytes', async (size) => {
    const key = newFileKey();
    const data = randomBytes(size);
    const sealed = await encrypt(key, data);
    expect(sealed.includes(data.subarray(0, Math.min(size, 32))) && size >= 32).toBe(false);
    expect((await decrypt(key, sealed)).equals(data)).toBe(true);
  });

  it('detects tampering, truncation, a dropped chunk and the wrong key', async () => {
    const key = newFileKey();
    const sealed = await encrypt(key, randomBytes(150_000));
    const flipped = Buffer.from(sealed);
    flipped[100] = flipped[100]! ^ 1;
    await expect(decrypt(key, flipped)).rejects.toThrow(/authentication/);
    await expect(decrypt(key, sealed.subarray(0, 12 + 4 + 65_536 + 16))).rejects.toThrow(/truncated/);
    const firstRecord = 12 + 4 + 65_536 + 16;
    const dropped = Buffer.concat([sealed.subarray(0, 12), sealed.subarray(firstRecord)]);
    await expect(decrypt(key, dropped)).rejects.toThrow(/authentication/);
    await expect(decrypt(newFileKey(), sealed)).rejects.toThrow(/authentication/);
  });
});

describe('batch encryption', () => {
  it('writes vault blobs that the vault opens, with the vault HMAC', () => {
    const dataKey = randomBytes(32);
    const hmacKey = randomBytes(32);
    const process = makeBatchProcessor({
      mapping: { phones: [1], fields: { lastName: 0 }, extra: [] },
      headers: ['Nom', 'Tel'],
      defaultRegion: 'GP',
      legalBasisRequired: false,
      now: new Date(),
      campaignId: 'c-1',
      dataKey,
      hmacKey,
      maskingPolicy: defaultMaskingPolicy,
    });
    const result = process([{ rowNo: 2, cells: ['Dupont\tTab\\', '0690001234'] }, { rowNo: 3, cells: ['X', 'inconnu'] }, { rowNo: 4, problem: 'malformed_row' }]);
    expect(result.rejects.map((r) => [r.rowNo, r.reason])).toEqual([[3, 'invalid_number'], [4, 'malformed_row']]);
    expect(result.hmacs).toEqual([hmacHex(hmacKey, '+590690001234')]);
    const cols = result.lines[0]!.trimEnd().split('\t');
    expect(cols.length).toBe(11);
    const blob = (col: string) => Buffer.from(col.replace(/^\\\\x/, ''), 'hex');
    expect(JSON.parse(open(dataKey, blob(cols[2]!), dataAad('c-1')).toString())).toEqual(['+590690001234']);
    expect(JSON.parse(open(dataKey, blob(cols[3]!), dataAad('c-1')).toString())).toMatchObject({ lastName: 'Dupont\tTab\\' });
    expect(() => open(dataKey, blob(cols[3]!), dataAad('c-2'))).toThrow();
    expect(JSON.parse(cols[10]!)).toMatchObject({ name: 'D.', phone: '06 90 •• •• 34' });
  });
});
