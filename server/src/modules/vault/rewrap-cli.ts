/**
 * Master key rotation. Deploy the new MASTER_KEY / MASTER_KEY_ID, then run with the previous key:
 *   OLD_MASTER_KEY=<64 hex> npm run vault:rewrap
 * Every live data key wrapped by another master key is re-wrapped by the current one (audited).
 */
import { loadConfig } from '../../config.ts';
import { createDb } from '../../db/database.ts';
import { AuditService } from '../audit/service.ts';
import { Vault } from './vault.ts';

const old = process.env.OLD_MASTER_KEY ?? '';
if (!/^[0-9a-fA-F]{64}$/.test(old)) {
  console.error('OLD_MASTER_KEY manquante ou invalide (64 caractères hexadécimaux)');
  process.exit(78);
}
const config = loadConfig();
const db = createDb(config.DATABASE_URL, { max: 2, applicationName: 'passerelle-vault-rewrap' });
try {
  const { rewrapped, failed } = await new Vault(db, config).rewrapKeys(old);
  await new AuditService(db).record(
    { userId: null, role: 'system' },
    { action: 'vault.rewrap', targetType: 'master_key', targetId: config.MASTER_KEY_ID, details: { rewrapped, failed } },
  );
  process.stdout.write(`[vault] ${rewrapped} clé(s) de campagne re-chiffrée(s) sous ${config.MASTER_KEY_ID}\n`);
  if (failed.length) {
    console.error(`[vault] ${failed.length} clé(s) illisibles avec l’ancienne clé maîtresse : ${failed.join(', ')}`);
    process.exitCode = 1;
  }
} finally {
  await db.destroy();
}
