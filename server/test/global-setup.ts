import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Once per run: migrate a template database that every test file clones. The name is unique to
 * the run so parallel runs on one PostgreSQL never touch each other's databases.
 */
export default function setup() {
  const name = `passerelle_tpl_${Date.now()}_${randomBytes(3).toString('hex')}`;
  process.env.TEST_PG_TEMPLATE = name;
  const tsx = path.join(root, 'node_modules/.bin/tsx');
  execFileSync(tsx, [path.join(root, 'scripts/test-db.ts'), 'create', name], { stdio: 'inherit' });
  return () => {
    execFileSync(tsx, [path.join(root, 'scripts/test-db.ts'), 'drop', name], { stdio: 'inherit' });
  };
}
