/** `npm run migrate`: creates the database if needed, then applies every pending migration. */
import { migrateToLatest } from '../server/src/db/migrate.ts';
import { ensureDatabase } from './lib/database.ts';
import { loadDotEnv } from './lib/env.ts';

loadDotEnv();
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('DATABASE_URL manquante (voir .env.example)');
  process.exit(78);
}
const name = new URL(databaseUrl).pathname.slice(1);
if (await ensureDatabase(databaseUrl)) console.log(`[migrate] base « ${name} » créée`);
const applied = await migrateToLatest(databaseUrl);
console.log(applied.length ? `[migrate] appliquées : ${applied.join(', ')}` : `[migrate] base « ${name} » à jour`);
