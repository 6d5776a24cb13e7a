import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const SESSION_SECRET = 'session-secret-value-9f8e7d6c5b4a3210';
const LOOKUP_HMAC_KEY = 'ab'.repeat(32);
const valid = {
  NODE_ENV: 'test',
  DATABASE_URL: 'postgres://passerelle:db-password-5e4d@127.0.0.1:5432/passerelle',
  SESSION_SECRET,
  MASTER_KEY: 'cd'.repeat(32),
  LOOKUP_HMAC_KEY,
};

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('loadConfig accepted an invalid environment');
}

describe('loadConfig', () => {
  it('accepts a complete environment and applies defaults', () => {
    const cfg = loadConfig(valid);
    expect(cfg.PORT).toBe(3000);
    expect(cfg.TRAINEE_IDLE_TIMEOUT_MIN).toBe(15);
  });

  it('names a missing DATABASE_URL', () => {
    const err = configError({ ...valid, DATABASE_URL: undefined });
    expect(err.issues).toEqual([{ variable: 'DATABASE_URL', message: 'variable manquante' }]);
    expect(err.message).toContain('DATABASE_URL');
  });

  it('names a malformed MASTER_KEY without echoing its value', () => {
    const bad = 'not-hex-but-a-secret-ZZZ';
    const err = configError({ ...valid, MASTER_KEY: bad });
    expect(err.issues.map((i) => i.variable)).toEqual(['MASTER_KEY']);
    expect(err.message).toContain('MASTER_KEY');
    expect(err.message).not.toContain(bad);
  });

  it('names a bad PORT, whether not a number or out of range', () => {
    expect(configError({ ...valid, PORT: 'http' }).issues.map((i) => i.variable)).toEqual(['PORT']);
    expect(configError({ ...valid, PORT: '70000' }).issues.map((i) => i.variable)).toEqual(['PORT']);
  });

  it('lists every bad variable at once', () => {
    const err = configError({ ...valid, DATABASE_URL: 'mysql://x', REDIS_URL: 'http://x', LOG_LEVEL: 'loud' });
    expect(err.issues.map((i) => i.variable).sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'REDIS_URL']);
  });

  it('refuses development SIP secrets in production', () => {
    expect(configError({ ...valid, NODE_ENV: 'production' }).issues[0]!.variable).toBe('SIP_AUTH_SECRET');
  });
});

describe('server start-up', () => {
  /** Starts the real entry point with only the given environment (no inherited secrets, no .env). */
  async function start(env: Record<string, string | undefined>) {
    const tsx = path.join(root, 'node_modules/.bin/tsx');
    try {
      await promisify(execFile)(tsx, [path.join(root, 'server/src/main.ts')], {
        cwd: path.join(root, 'server'),
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } as NodeJS.ProcessEnv,
        timeout: 60_000,
      });
      return { code: 0, out: '' };
    } catch (err) {
      const e = err as { code: number | string; stdout: string; stderr: string };
      return { code: e.code, out: e.stdout + e.stderr };
    }
  }

  it('exits non-zero naming a malformed variable, printing no secret', async () => {
    const badKey = 'zz-master-key-secret-value-zz';
    const { code, out } = await start({ ...valid, MASTER_KEY: badKey, PORT: '0' });
    expect(code).not.toBe(0);
    expect(typeof code).toBe('number');
    expect(out).toContain('MASTER_KEY');
    for (const secret of [badKey, SESSION_SECRET, LOOKUP_HMAC_KEY, 'db-password-5e4d']) expect(out).not.toContain(secret);
  });

  it('exits non-zero naming a missing DATABASE_URL', async () => {
    const { code, out } = await start({ ...valid, DATABASE_URL: undefined, PORT: '0' });
    expect(code).not.toBe(0);
    expect(out).toMatch(/DATABASE_URL: variable manquante/);
    expect(out).not.toContain(SESSION_SECRET);
  });
});
