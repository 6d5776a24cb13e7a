import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rootDir } from './lib/env.ts';

// Debian's docker-compose 1.29 validates a file without a Docker engine (STACK.md).
const composeFile = path.join(rootDir, 'docker-compose.yml');
const work = mkdtempSync(path.join(tmpdir(), 'passerelle-compose-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const secrets: Record<string, string> = {
  POSTGRES_PASSWORD: 'pg-password',
  PUBLIC_URL: 'https://passerelle.example',
  SESSION_SECRET: 'x'.repeat(40),
  MASTER_KEY: 'a'.repeat(64),
  LOOKUP_HMAC_KEY: 'b'.repeat(64),
  SIP_AUTH_SECRET: 'sip-auth-secret-for-test',
  SIP_API_KEY: 'sip-api-key-for-test',
  SIP_WS_URL: 'wss://sip.passerelle.example',
  SIP_IP: '192.0.2.10',
  TRUNK_IP: '192.0.2.20',
};

/** Runs docker-compose with only the given variables (never the developer's .env). */
function compose(file: string, vars: Record<string, string>, ...args: string[]) {
  const envFile = path.join(work, `${Math.random().toString(36).slice(2)}.env`);
  writeFileSync(envFile, Object.entries(vars).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  const result = spawnSync('docker-compose', ['--env-file', envFile, '--project-directory', rootDir, '-f', file, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  });
  if (result.error) throw result.error;
  return result;
}

describe('docker-compose.yml', () => {
  it('is valid and describes postgres, redis, server, worker, kamailio and rtpengine', () => {
    const valid = compose(composeFile, secrets, 'config', '-q');
    expect(valid.stderr).toBe('');
    expect(valid.status).toBe(0);
    const services = compose(composeFile, secrets, 'config', '--services').stdout.trim().split('\n');
    expect(services).toEqual(expect.arrayContaining(['postgres', 'redis', 'server', 'worker', 'kamailio', 'rtpengine']));
  });

  it('refuses to resolve while a secret is missing', () => {
    const { MASTER_KEY: _omitted, ...withoutMasterKey } = secrets;
    const result = compose(composeFile, withoutMasterKey, 'config', '-q');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('MASTER_KEY');
  });

  it('rejects a broken copy (unknown service key)', () => {
    const broken = path.join(work, 'broken.yml');
    const text = readFileSync(composeFile, 'utf8').replace(/^ {2}server:\n/m, '  server:\n    restart_policy_typo: always\n');
    expect(text).toContain('restart_policy_typo');
    writeFileSync(broken, text);
    const result = compose(broken, secrets, 'config', '-q');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('restart_policy_typo');
  });
});
