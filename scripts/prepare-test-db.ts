import { migrateToLatest } from '../server/src/db/migrate.ts';
import { recreateTemplate } from '../server/test/db.ts';

await recreateTemplate(migrateToLatest);
