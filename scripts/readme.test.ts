import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS } from './lib/demo-data.ts';
import { rootDir } from './lib/env.ts';

const readme = readFileSync(path.join(rootDir, 'README.md'), 'utf8');
const scripts = (JSON.parse(readFileSync(path.join(rootDir, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

describe('README', () => {
  it('quick start is exactly the two commands, and both exist', () => {
    const quickStart = /## Quick start[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(quickStart?.trim().split('\n')).toEqual(['npm run demo', 'npm test']);
    expect(scripts.demo).toBe('bash scripts/demo.sh');
    expect(scripts.test).toBe('bash scripts/test.sh');
    for (const file of ['scripts/demo.sh', 'scripts/test.sh', '.ci/run']) expect(existsSync(path.join(rootDir, file))).toBe(true);
  });

  it('lists the logins and password the seed creates', () => {
    expect(readme).toContain(DEMO_PASSWORD);
    // Trainees are written as a range there: `conseiller01` … `conseiller04`.
    const missing = DEMO_USERS.filter((u) => !readme.includes(`\`${u.username}\``) && !/^conseiller0[2-3]$/.test(u.username));
    expect(missing).toEqual([]);
  });
});
