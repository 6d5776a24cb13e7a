import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BLOB_VERSION, dataAad, hmacHex, open, seal, VaultError, wrapAad } from './crypto.ts';

const key = randomBytes(32);
const text = Buffer.from('{"firstName":"Marie","lastName":"Dupont"}');

describe('vault blobs', () => {
  it('round-trips and has the versioned layout (1 + 12 + 16 + ciphertext)', () => {
    const blob = seal(key, text, dataAad('c1'));
    expect(blob[0]).toBe(BLOB_VERSION);
    expect(blob.length).toBe(1 + 12 + 16 + text.length);
    expect(blob.includes(Buffer.from('Marie'))).toBe(false);
    expect(open(key, blob, dataAad('c1')).equals(text)).toBe(true);
  });

  it('uses a fresh IV for every blob', () => {
    const a = seal(key, text, dataAad('c1'));
    const b = seal(key, text, dataAad('c1'));
    expect(a.subarray(1, 13).equals(b.subarray(1, 13))).toBe(false);
    expect(a.equals(b)).toBe(false);
  });

  it('refuses a blob moved to another campaign (AAD binding)', () => {
    const blob = seal(key, text, dataAad('campaign-a'));
    expect(() => open(key, blob, dataAad('campaign-b'))).toThrow(VaultError);
  });

  it('refuses the wrong key, a tampered byte, a truncated blob and an unknown version', () => {
    const blob = seal(key, text, dataAad('c1'));
    expect(() => open(randomBytes(32), blob, dataAad('c1'))).toThrow(/authentication/);
    const tampered = Buffer.from(blob);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => open(key, tampered, dataAad('c1'))).toThrow(/authentication/);
    const tag = Buffer.from(blob);
    tag[20]! ^= 1;
    expect(() => open(key, tag, dataAad('c1'))).toThrow(/authentication/);
    expect(() => open(key, blob.subarray(0, 20), dataAad('c1'))).toThrow(/too short/);
    const v2 = Buffer.from(blob);
    v2[0] = 2;
    expect(() => open(key, v2, dataAad('c1'))).toThrow(/version 2/);
  });

  it('binds wrapped keys to campaign and master key id', () => {
    const wrapped = seal(key, randomBytes(32), wrapAad('c1', 'mk1'));
    expect(() => open(key, wrapped, wrapAad('c1', 'mk2'))).toThrow(VaultError);
    expect(() => open(key, wrapped, wrapAad('c2', 'mk1'))).toThrow(VaultError);
  });

  it('computes a keyed HMAC (different key → different hash)', () => {
    const h = hmacHex(key, '+590690001234');
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(hmacHex(key, '+590690001234')).toBe(h);
    expect(hmacHex(randomBytes(32), '+590690001234')).not.toBe(h);
  });
});
