import { sql, type Kysely } from 'kysely';

/** Training groups (groupes de formation) of a site; a trainee belongs to at most one. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('teams')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('site_id', 'uuid', (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('teams_site_name_key', ['site_id', 'name'])
    .execute();
  await db.schema
    .alterTable('users')
    .addColumn('team_id', 'uuid', (c) => c.references('teams.id').onDelete('set null'))
    .execute();
  await db.schema.createIndex('users_team_id_idx').on('users').column('team_id').where(sql.ref('team_id'), 'is not', null).execute();
}
