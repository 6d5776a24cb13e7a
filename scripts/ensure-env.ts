/**
 * Creates `.env` for the demo from `.env.example` with fresh random secrets. An existing `.env` is
 * never overwritten: only variables the example requires and `.env` lacks are appended (so a
 * variable added by a later version does not break the next `npm run demo`).
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { envFile, renderEnvFromExample, rootDir } from './lib/env.ts';

const example = readFileSync(path.join(rootDir, '.env.example'), 'utf8');

if (!existsSync(envFile)) {
  writeFileSync(envFile, renderEnvFromExample(example), { mode: 0o600, flag: 'wx' });
  console.log('[env] .env créé avec des secrets aléatoires (ne pas le versionner)');
} else {
  const present = parseEnv(readFileSync(envFile, 'utf8'));
  const missing = example.split('\n').filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line) && !(line.slice(0, line.indexOf('=')) in present));
  if (missing.length) {
    appendFileSync(envFile, `\n# Ajouté par scripts/ensure-env.ts (${new Date().toISOString()})\n${renderEnvFromExample(missing.join('\n'))}\n`);
    console.log(`[env] .env existant complété : ${missing.map((l) => l.slice(0, l.indexOf('='))).join(', ')}`);
  } else {
    console.log('[env] .env existe déjà : conservé tel quel');
  }
}
