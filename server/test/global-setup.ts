import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Once per run: migrate a template database that every test file clones (tsx runs the .ts migrations). */
export default function setup() {
  if (process.env.TEST_TEMPLATE_READY === '1') return;
  execFileSync(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'scripts/prepare-test-db.ts')], { stdio: 'inherit' });
  process.env.TEST_TEMPLATE_READY = '1';
}
