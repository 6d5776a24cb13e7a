import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create type user_role as enum ('admin', 'trainer', 'trainee', 'partner')`.execute(db);
  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('username', sql`citext`, (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', sql`user_role`, (c) => c.notNull())
    .addColumn('site_id', 'uuid', (c) => c.references('sites.id'))
    .addColumn('partner_id', 'uuid', (c) => c.references('partners.id'))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('fr'))
    .addColumn('language_skills', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{fr}'`))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // A partner user belongs to exactly one partner; trainees sit at a site; staff have no partner.
    .addCheckConstraint('users_partner_scope', sql`(role = 'partner') = (partner_id is not null)`)
    .addCheckConstraint('users_trainee_site', sql`role <> 'trainee' or site_id is not null`)
    .execute();
}
