/** Creates `.env` for the demo from `.env.example` with fresh random secrets; never overwrites. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { envFile, renderEnvFromExample, rootDir } from './lib/env.ts';

if (existsSync(envFile)) {
  console.log('[env] .env existe déjà : conservé tel quel');
} else {
  const example = readFileSync(path.join(rootDir, '.env.example'), 'utf8');
  writeFileSync(envFile, renderEnvFromExample(example), { mode: 0o600, flag: 'wx' });
  console.log('[env] .env créé avec des secrets aléatoires (ne pas le versionner)');
}
