import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('contacts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id'))
    .addColumn('partner_id', 'uuid', (c) => c.notNull().references('partners.id'))
    .addColumn('import_id', 'uuid')
    .addColumn('phone_hmac', 'text', (c) => c.notNull())
    .addColumn('phones_cipher', 'bytea', (c) => c.notNull())
    .addColumn('pii_cipher', 'bytea', (c) => c.notNull())
    .addColumn('territory', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('fr'))
    .addColumn('legal_basis', 'text', (c) => c.check(sql`legal_basis in ('contract', 'consent')`))
    .addColumn('consent_at', 'timestamptz')
    .addColumn('consent_source', 'text')
    .addColumn('masked', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('contacts_campaign_phone_uq', ['campaign_id', 'phone_hmac'])
    .execute();
  await db.schema.createIndex('contacts_partner_phone_idx').on('contacts').columns(['partner_id', 'phone_hmac']).execute();
  await db.schema.createIndex('contacts_import_idx').on('contacts').column('import_id').execute();
  // What agent-facing code may read: the masked projection, never ciphertext or hashes.
  await sql`create view contact_cards as
    select id, campaign_id, partner_id, masked, territory, time_zone, language from contacts`.execute(db);
}
