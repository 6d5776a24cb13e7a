import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('imports')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id'))
    .addColumn('partner_id', 'uuid', (c) => c.notNull().references('partners.id'))
    .addColumn('uploaded_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('uploaded_by_key', 'uuid')
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_kind', 'text', (c) => c.notNull().check(sql`file_kind in ('csv', 'xlsx')`))
    .addColumn('file_size', 'bigint', (c) => c.notNull())
    .addColumn('content_sha256', 'text', (c) => c.notNull())
    /** The encrypted upload under DATA_DIR, and its per-file key wrapped by the campaign data key. */
    .addColumn('storage_path', 'text', (c) => c.notNull())
    .addColumn('file_key_cipher', 'bytea', (c) => c.notNull())
    .addColumn('encoding', 'text')
    .addColumn('delimiter', 'text')
    .addColumn('has_header', 'boolean', (c) => c.notNull())
    .addColumn('headers', 'jsonb', (c) => c.notNull())
    /** First rows, masked: what the partner sees to check the mapping. */
    .addColumn('preview', 'jsonb', (c) => c.notNull())
    .addColumn('header_signature', 'text', (c) => c.notNull())
    .addColumn('suggested_mapping', 'jsonb', (c) => c.notNull())
    .addColumn('mapping', 'jsonb')
    .addColumn('accept_valid_subset', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('uploaded'))
    .addColumn('rows_read', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_accepted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_rejected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_imported', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reasons', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('runs', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addCheckConstraint(
      'imports_status_chk',
      sql`status in ('uploaded', 'queued', 'processing', 'awaiting_confirmation', 'committing', 'completed', 'rejected', 'cancelled', 'failed')`,
    )
    .execute();
  await db.schema.createIndex('imports_campaign_idx').on('imports').columns(['campaign_id', 'created_at']).execute();
  // The same file twice for one campaign is one import (unless the first was cancelled or failed).
  await sql`create unique index imports_campaign_content_uq on imports (campaign_id, content_sha256)
    where status not in ('cancelled', 'failed')`.execute(db);

  await db.schema
    .createTable('import_rejects')
    .addColumn('import_id', 'uuid', (c) => c.notNull().references('imports.id').onDelete('cascade'))
    .addColumn('row_no', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('column_name', 'text')
    /** The offending value, masked (never a full number). */
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('import_rejects_import_idx').on('import_rejects').columns(['import_id', 'row_no']).execute();

  await db.schema
    .createTable('import_mappings')
    .addColumn('partner_id', 'uuid', (c) => c.notNull().references('partners.id'))
    .addColumn('header_signature', 'text', (c) => c.notNull())
    .addColumn('headers', 'jsonb', (c) => c.notNull())
    .addColumn('mapping', 'jsonb', (c) => c.notNull())
    .addColumn('updated_by', 'uuid', (c) => c.references('users.id'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('import_mappings_pk', ['partner_id', 'header_signature'])
    .execute();
}
