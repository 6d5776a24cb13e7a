import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rootDir } from './lib/env.ts';

// install-deps.sh runs in a scratch copy of the repository with recording stand-ins for the
// system package tools (dpkg-query, apt-get, npm); the decisions under test are the script's own.
const scratch = mkdtempSync(path.join(tmpdir(), 'passerelle-install-deps-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function fakeBin(dir: string, name: string, body: string) {
  writeFileSync(path.join(dir, name), `#!/usr/bin/env bash\n${body}\n`);
  chmodSync(path.join(dir, name), 0o755);
}

const lock = (versions: Record<string, string>) =>
  JSON.stringify({ lockfileVersion: 3, packages: { '': { name: 'x' }, ...Object.fromEntries(Object.entries(versions).map(([k, v]) => [`node_modules/${k}`, { version: v }])) } });

interface Setup {
  missingPackages?: string[];
  installed?: Record<string, string> | null;
  wanted?: Record<string, string>;
  lockNewer?: boolean;
  npmCiFails?: boolean;
}

function run({ missingPackages = [], installed = { a: '1.0.0' }, wanted = { a: '1.0.0' }, lockNewer = false, npmCiFails = false }: Setup) {
  const root = mkdtempSync(path.join(scratch, 'repo-'));
  const bin = path.join(root, 'bin');
  const calls = path.join(root, 'calls.log');
  mkdirSync(path.join(root, 'scripts'));
  mkdirSync(bin);
  copyFileSync(path.join(rootDir, 'scripts/install-deps.sh'), path.join(root, 'scripts/install-deps.sh'));
  writeFileSync(path.join(root, 'package-lock.json'), lock(wanted));
  if (installed) {
    mkdirSync(path.join(root, 'node_modules'));
    writeFileSync(path.join(root, 'node_modules/.package-lock.json'), lock(installed));
    const [older, newer] = [new Date(Date.now() - 60_000), new Date()];
    utimesSync(path.join(root, 'package-lock.json'), lockNewer ? newer : older, lockNewer ? newer : older);
    utimesSync(path.join(root, 'node_modules/.package-lock.json'), lockNewer ? older : newer, lockNewer ? older : newer);
  }
  const missing = missingPackages.join(' ');
  fakeBin(bin, 'dpkg-query', `for p in ${missing}; do [[ "\${@: -1}" == "$p" ]] && exit 1; done; printf 'install ok installed'`);
  fakeBin(bin, 'apt-get', `echo "apt-get DEBIAN_FRONTEND=$DEBIAN_FRONTEND $*" >> ${calls}`);
  fakeBin(bin, 'sudo', `"$@"`);
  fakeBin(bin, 'npm', `echo "npm $*" >> ${calls}; [[ $1 == ci && -n "$NPM_CI_FAILS" ]] && exit 1; exit 0`);
  const result = spawnSync('bash', [path.join(root, 'scripts/install-deps.sh')], {
    encoding: 'utf8',
    env: { PATH: `${bin}:${process.env.PATH}`, HOME: root, NPM_LOCK: path.join(root, 'npm.lock'), NPM_CI_FAILS: npmCiFails ? '1' : '' },
  });
  let log = '';
  try {
    log = readFileSync(calls, 'utf8');
  } catch {
    log = '';
  }
  return { status: result.status, output: result.stdout + result.stderr, calls: log.trim().split('\n').filter(Boolean) };
}

describe('scripts/install-deps.sh', () => {
  it('does nothing when every package and the npm tree are there', () => {
    const r = run({});
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([]);
  });

  it('updates apt once and installs only the missing packages, non-interactively', () => {
    const r = run({ missingPackages: ['kamailio-autheph-modules', 'sip-tester'] });
    expect(r.status, r.output).toBe(0);
    expect(r.calls).toHaveLength(2);
    expect(r.calls[0]).toMatch(/^apt-get DEBIAN_FRONTEND=noninteractive -o DPkg::Lock::Timeout=900 update/);
    expect(r.calls[1]).toMatch(/-o DPkg::Lock::Timeout=900 install -y .* kamailio-autheph-modules sip-tester$/);
    expect(r.calls[1]).toContain('DEBIAN_FRONTEND=noninteractive');
  });

  it('runs npm ci when node_modules is missing', () => {
    expect(run({ installed: null }).calls).toEqual(['npm ci --no-audit --no-fund']);
  });

  it('runs npm ci when the lockfile is newer and differs from the installed tree', () => {
    expect(run({ lockNewer: true, wanted: { a: '1.1.0' } }).calls).toEqual(['npm ci --no-audit --no-fund']);
    expect(run({ lockNewer: true, wanted: { a: '1.0.0', b: '2.0.0' } }).calls).toEqual(['npm ci --no-audit --no-fund']);
  });

  it('falls back to npm install --no-save when npm ci refuses the lockfile', () => {
    const r = run({ installed: null, npmCiFails: true });
    expect(r.status, r.output).toBe(0);
    expect(r.calls).toEqual(['npm ci --no-audit --no-fund', 'npm install --no-save --no-audit --no-fund']);
  });

  it('keeps node_modules when the lockfile was only touched', () => {
    expect(run({ lockNewer: true }).calls).toEqual([]);
  });
});
