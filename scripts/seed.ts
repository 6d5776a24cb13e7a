/**
 * `npm run seed`: idempotent demo data. Runs every scripts/seed/NN-*.ts module in order; later
 * features add their demo data by adding a module there. Refuses to run in production.
 */
import { ConfigError, loadConfig, type Config } from '../server/src/config.ts';
import { createDb } from '../server/src/db/database.ts';
import { AuditService } from '../server/src/modules/audit/service.ts';
import { loadDotEnv } from './lib/env.ts';
import { runSeed } from './lib/seed.ts';

loadDotEnv();
let config: Config;
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

const db = createDb(config.DATABASE_URL, { max: 2, applicationName: 'passerelle-seed' });
try {
  const files = await runSeed({ db, config, audit: new AuditService(db), log: (m) => console.log(`[seed] ${m}`) });
  console.log(`[seed] terminé (${files.length} module(s))`);
} finally {
  await db.destroy();
}
