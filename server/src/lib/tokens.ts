import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');
export const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `prefix` + `length` base62 characters (32: ~190 bits), drawn without modulo bias. */
export function base62Token(prefix: string, length = 32): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(48)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return `${prefix}${out}`;
}
