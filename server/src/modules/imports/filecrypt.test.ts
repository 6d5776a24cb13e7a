import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { decryptStream, encryptStream, newFileKey } from './filecrypt.ts';

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
