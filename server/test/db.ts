import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Server used by the tests; the template database holds the migrated schema. */
export const adminUrl = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** One template per test run (several runs may share the server); set by global-setup. */
export const templateName = () => process.env.TEST_PG_TEMPLATE ?? 'passerelle_tpl_default';

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
  const name = `${templateName().replace('_tpl_', '_t_')}_${randomBytes(5).toString('hex')}`;
  await withAdmin((c) => c.query(`create database ${name} template ${templateName()}`));
  return {
    url: databaseUrl(name),
    drop: () => withAdmin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

export async function createTemplate(name: string, migrate: (url: string) => Promise<unknown>): Promise<void> {
  await withAdmin(async (c) => {
    // Leftovers of runs killed more than a day ago (their names carry the start time).
    const old = await c.query<{ datname: string }>(`select datname from pg_database where datname ~ '^passerelle_(t|tpl)_[0-9]+_'`);
    const dayAgo = Date.now() - 86_400_000;
    for (const row of old.rows) {
      if (Number(row.datname.split('_')[2]) < dayAgo) await c.query(`drop database if exists ${row.datname} with (force)`);
    }
    await c.query(`create database ${name}`);
  });
  await migrate(databaseUrl(name));
}

/** Drops the run's template and whatever test databases of the run were left behind. */
export async function dropRunDatabases(name: string): Promise<void> {
  await withAdmin(async (c) => {
    const left = await c.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [`${name.replace('_tpl_', '_t_')}_%`]);
    for (const row of left.rows) await c.query(`drop database if exists ${row.datname} with (force)`);
    await c.query(`drop database if exists ${name} with (force)`);
  });
}
