import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Server used by the tests; the template database holds the migrated schema. */
export const adminUrl = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const templateName = process.env.TEST_PG_TEMPLATE ?? 'passerelle_test_template';

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A brand-new database cloned from the migrated template: each test file gets its own. */
export async function createFreshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `passerelle_t_${randomBytes(6).toString('hex')}`;
  await withAdmin((c) => c.query(`create database ${name} template ${templateName}`));
  return {
    url: databaseUrl(name),
    drop: () => withAdmin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

export async function recreateTemplate(migrate: (url: string) => Promise<unknown>): Promise<void> {
  await withAdmin(async (c) => {
    // Leftovers of killed runs.
    const old = await c.query<{ datname: string }>(`select datname from pg_database where datname like 'passerelle_t_%'`);
    for (const row of old.rows) await c.query(`drop database if exists ${row.datname} with (force)`);
    await c.query(`drop database if exists ${templateName} with (force)`);
    await c.query(`create database ${templateName}`);
  });
  await migrate(databaseUrl(templateName));
}
