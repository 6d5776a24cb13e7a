/** `npm run audit:verify`: walks the whole audit chain; exit 0 when intact, 1 naming the first broken row. */
import { createDb } from '../server/src/db/database.ts';
import { verifyAuditChain } from '../server/src/modules/audit/verify.ts';
import { loadDotEnv } from './lib/env.ts';

const reasons = {
  prev_hash_mismatch: 'le lien vers la ligne précédente ne correspond pas (ligne supprimée, insérée ou réordonnée)',
  hash_mismatch: 'le contenu ne correspond plus à son empreinte (ligne modifiée)',
};

loadDotEnv();
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseUrl)) {
  console.error('DATABASE_URL manquante ou invalide (voir .env.example)');
  process.exit(78);
}
const db = createDb(databaseUrl, { max: 1, applicationName: 'passerelle-audit-verify' });
try {
  const result = await verifyAuditChain(db);
  if (result.ok) {
    console.log(`OK : chaîne d’audit intacte (${result.rows} lignes)`);
  } else {
    console.error(`ÉCHEC : chaîne d’audit rompue à la ligne id=${result.brokenId} (${result.reason} : ${reasons[result.reason]})`);
    process.exitCode = 1;
  }
} finally {
  await db.destroy();
}
