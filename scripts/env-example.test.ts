import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../server/src/config.ts';
import { renderEnvFromExample, rootDir } from './lib/env.ts';

const example = readFileSync(path.join(rootDir, '.env.example'), 'utf8');
const configSource = readFileSync(path.join(rootDir, 'server/src/config.ts'), 'utf8');

/** Variable names declared in config.ts's env schema (the object literal passed to z.object). */
function configVariables(): string[] {
  const body = /const envSchema = z\.object\(\{([\s\S]*?)\n\}\);/.exec(configSource)?.[1];
  if (!body) throw new Error('envSchema not found in config.ts');
  return [...body.matchAll(/^\s{2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]!);
}

describe('.env.example', () => {
  it('documents every variable of config.ts', () => {
    const names = configVariables();
    expect(names.length).toBeGreaterThan(10);
    const undocumented = names.filter((n) => !new RegExp(`^#? ?${n}=`, 'm').test(example));
    expect(undocumented).toEqual([]);
  });

  it('renders into a demo .env the server accepts, with fresh secrets each time', () => {
    const first = parseEnv(renderEnvFromExample(example));
    const second = parseEnv(renderEnvFromExample(example));
    const config = loadConfig(first);
    expect(config.MASTER_KEY).toMatch(/^[0-9a-f]{64}$/);
    expect(first.MASTER_KEY).not.toEqual(second.MASTER_KEY);
    expect(first.SESSION_SECRET).not.toEqual(second.SESSION_SECRET);
    expect(first.SIP_API_KEY).not.toEqual(first.SIP_AUTH_SECRET);
  });

  it('left with its placeholders, is refused at start-up naming the secrets', () => {
    let error: unknown;
    try {
      loadConfig(parseEnv(example));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = (error as ConfigError).issues.map((i) => i.variable);
    expect(variables).toEqual(expect.arrayContaining(['SESSION_SECRET', 'MASTER_KEY', 'LOOKUP_HMAC_KEY', 'SIP_AUTH_SECRET', 'SIP_API_KEY']));
  });
});
