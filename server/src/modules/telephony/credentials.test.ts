import { describe, expect, it } from 'vitest';
import { sipCredentials } from './credentials.ts';

describe('sipCredentials', () => {
  it('signs "<expiry>:<userId>" with HMAC-SHA1 in base64 (auth_ephemeral)', () => {
    const c = sipCredentials('secret', 'u1', new Date(1_700_000_000_000), 3600);
    expect(c.username).toBe('1700003600:u1');
    // echo -n 1700003600:u1 | openssl dgst -sha1 -hmac secret -binary | base64
    expect(c.password).toBe('6E/0HTuaYDX4LCgCo8AtInK5mQE=');
    expect(c.expiresAt.toISOString()).toBe('2023-11-14T23:13:20.000Z');
  });

  it('depends on the secret and the user', () => {
    const now = new Date();
    expect(sipCredentials('a', 'u1', now).password).not.toBe(sipCredentials('b', 'u1', now).password);
    expect(sipCredentials('a', 'u1', now).password).not.toBe(sipCredentials('a', 'u2', now).password);
  });
});
