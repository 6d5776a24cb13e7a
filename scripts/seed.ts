/**
 * `npm run seed`: idempotent demo data. Runs every scripts/seed/NN-*.ts module in order; later
 * features add their demo data by adding a module there. Refuses to run in production.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig } from '../server/src/config.ts';
import { createDb } from '../server/src/db/database.ts';
import { AuditService } from '../server/src/modules/audit/service.ts';
import { loadDotEnv, rootDir } from './lib/env.ts';
import type { SeedModule } from './lib/seed.ts';

loadDotEnv();
let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(78);
  }
  throw err;
}
if (config.NODE_ENV === 'production') {
  console.error('[seed] refusé : NODE_ENV=production (les comptes de démonstration ont un mot de passe public)');
  process.exit(1);
}

const seedDir = path.join(rootDir, 'scripts/seed');
const files = readdirSync(seedDir).filter((f) => /^\d+-[\w-]+\.ts$/.test(f)).sort();
const db = createDb(config.DATABASE_URL, { max: 2, applicationName: 'passerelle-seed' });
const audit = new AuditService(db);
try {
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(seedDir, file)).href)) as { default: SeedModule };
    console.log(`[seed] ${mod.default.name}`);
    await mod.default.run({ db, config, audit, log: (m) => console.log(`[seed]   ${m}`) });
  }
  await audit.record({ userId: null, role: 'system' }, { action: 'demo.seeded', details: { modules: files } });
  console.log(`[seed] terminé (${files.length} module(s))`);
} finally {
  await db.destroy();
}
