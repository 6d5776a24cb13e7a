import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Dialing settings of a campaign (null = the type's defaults, see shared/src/api/campaign-engine.ts).
  await db.schema
    .alterTable('campaigns')
    .addColumn('dialing_mode', 'text', (c) => c.notNull().defaultTo('preview').check(sql`dialing_mode in ('preview', 'progressive')`))
    .addColumn('starts_on', 'date')
    .addColumn('ends_on', 'date')
    .addColumn('windows', 'jsonb')
    .addColumn('retry_rules', 'jsonb')
    .addColumn('caller_id', 'text')
    .addColumn('required_language', 'text')
    .addColumn('script', 'jsonb')
    .addColumn('dispositions', 'jsonb')
    .addColumn('wrap_up_seconds', 'integer', (c) => c.notNull().defaultTo(120))
    .addColumn('offer_ttl_seconds', 'integer', (c) => c.notNull().defaultTo(120))
    .addColumn('countdown_seconds', 'integer', (c) => c.notNull().defaultTo(5))
    .execute();
  await sql`alter table campaigns add constraint campaigns_status_chk
    check (status in ('draft', 'ready', 'running', 'paused', 'finished', 'archived'))`.execute(db);
  await db.schema
    .createTable('campaign_agents')
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('campaign_agents_pk', ['campaign_id', 'user_id'])
    .execute();
  await db.schema.createIndex('campaign_agents_user_idx').on('campaign_agents').column('user_id').execute();
}
