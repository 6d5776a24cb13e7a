import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { channel } from 'node:diagnostics_channel';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { sql, type Transaction } from 'kysely';
import type { ImportProgress } from '@passerelle/shared/events';
import { defaultMaskingPolicy, maskingPolicySchema } from '@passerelle/shared/masking';
import type { Config } from '../../config.ts';
import type { Database, Db } from '../../db/database.ts';
import { AppError } from '../../lib/errors.ts';
import type { Vault } from '../vault/vault.ts';
import { blockedNumbers } from '../blocklists/service.ts';
import { AuditService } from '../audit/service.ts';
import { DIALING_SOURCE_COLUMNS, dialingRowsFrom } from '../contacts/store.ts';
import { STAGING_COLUMNS, type BatchContext, type BatchResult } from './encode.ts';
import { COPY_BINARY_HEADER, COPY_BINARY_TRAILER } from './copy-binary.ts';
import { genericHeaders, type ColumnMapping } from './mapping.ts';
import { readBatches, type FileFormat } from './parsing/source.ts';
import { scanXlsx } from './parsing/xlsx.ts';
import { inlinePool, threadPool, type BatchPool } from './pool.ts';
import { openUpload, removeUpload } from './storage.ts';
import type { Reject } from './validate.ts';
import type { ImportRow } from './tables.ts';

export interface ImportDeps {
  db: Db;
  /** Raw connections for COPY and the per-import advisory lock. */
  pg: pg.Pool;
  vault: Vault;
  config: Pick<Config, 'LOOKUP_HMAC_KEY'>;
  log: { info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void };
  /** Live progress to the uploading page (socket.io), when this process has it. */
  progress?: (partnerId: string, p: ImportProgress) => void;
  /** Worker threads for validation + encryption; 0 = in this thread. Default: the CPU count. */
  threads?: number;
}

const BATCH_ROWS = 4_000;
const BATCH_CHARS = 4_000_000;
/** Files smaller than this are processed in-thread: starting threads would cost more. */
const THREADS_FROM_BYTES = 2 * 1024 * 1024;
const PROGRESS_MS = 1_000;

export class ImportCancelled extends Error {}

/** Duration of each phase of an import run (staging, dedupe, swap…); bench/import.ts subscribes. */
export const importPhases = channel('passerelle:import:phase');
export interface ImportPhase {
  importId: string;
  phase: string;
  ms: number;
}
function timed(importId: string, phase: string, started: number): void {
  if (importPhases.hasSubscribers) importPhases.publish({ importId, phase, ms: Date.now() - started } satisfies ImportPhase);
}

/**
 * The first 24 hex digits of an import's contact ids (UUIDv7 layout: millisecond time, version,
 * 40 random bits, variant); the last 8 count the rows, so the ids increase in insertion order.
 */
export function orderedIdPrefix(now = Date.now()): string {
  const rand = randomBytes(5).toString('hex');
  const variant = (8 + (randomBytes(1)[0]! & 3)).toString(16);
  return `${now.toString(16).padStart(12, '0')}7${rand.slice(0, 3)}${variant}${rand.slice(3)}`;
}

/** Each import stages its rows in its own unlogged table, dropped when the import ends. */
export const stagingTable = (importId: string) => `import_staging_${importId.replace(/-/g, '')}`;

export function stagingDdl(table: string) {
  return sql`create unlogged table ${sql.table(table)} (
    row_no integer not null, phone_hmac text not null, phones_cipher bytea not null, pii_cipher bytea not null,
    territory text not null, time_zone text not null, language text not null, legal_basis text,
    consent_at timestamptz, consent_source text, masked jsonb not null)`;
}

export function formatOf(row: Pick<ImportRow, 'fileKind' | 'encoding' | 'delimiter'>): FileFormat {
  if (row.fileKind === 'xlsx') return { kind: 'xlsx' };
  return { kind: 'csv', encoding: row.encoding as 'utf-8', delimiter: row.delimiter as ';' };
}

async function insertRejects(db: Db, importId: string, rejects: Reject[]): Promise<void> {
  if (rejects.length === 0) return;
  await sql`insert into import_rejects (import_id, row_no, reason, column_name, detail)
    select ${importId}::uuid, * from unnest(${rejects.map((r) => r.rowNo)}::int[], ${rejects.map((r) => r.reason)}::text[],
      ${rejects.map((r) => r.column)}::text[], ${rejects.map((r) => r.detail)}::text[])`.execute(db);
}

async function write(stream: Writable, chunk: Buffer): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

/** Removes everything an unfinished import left: staging table, rejects, and (when ending) the file. */
async function discard(deps: ImportDeps, row: ImportRow, removeFile: boolean, db: Db | Transaction<Database> = deps.db): Promise<void> {
  await sql`drop table if exists ${sql.table(stagingTable(row.id))}`.execute(db);
  await db.deleteFrom('importRejects').where('importId', '=', row.id).execute();
  if (removeFile) await removeUpload(row.storagePath);
}

async function reasonCounts(db: Db | Transaction<Database>, importId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('importRejects')
    .select(['reason', (eb) => eb.fn.countAll<number>().as('n')])
    .where('importId', '=', importId)
    .groupBy('reason')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.reason, Number(r.n)]));
}

/**
 * Runs (or re-runs from scratch) the validation of an import: whatever a previous, crashed run
 * staged is dropped first. Ends `completed` (swapped in), `awaiting_confirmation` (bad rows, the
 * partner decides), `rejected` (nothing valid), `failed` (unreadable file) or honours a cancel.
 */
export async function processImport(deps: ImportDeps, importId: string): Promise<void> {
  const client = await deps.pg.connect();
  try {
    // One run per import at a time, across processes; released by PostgreSQL if this process dies.
    const { rows } = await client.query<{ ok: boolean }>(`select pg_try_advisory_lock(hashtextextended($1, 0)) as ok`, [`import:${importId}`]);
    if (!rows[0]?.ok) throw new Error(`import ${importId} is being processed elsewhere`);
    try {
      await runLocked(deps, client, importId);
    } finally {
      await client.query(`select pg_advisory_unlock(hashtextextended($1, 0))`, [`import:${importId}`]);
    }
  } finally {
    client.release();
  }
}

async function runLocked(deps: ImportDeps, client: pg.PoolClient, importId: string): Promise<void> {
  const { db } = deps;
  const current = await db.selectFrom('imports').selectAll().where('id', '=', importId).executeTakeFirst();
  if (!current) return;
  if (current.status === 'cancelled') return discard(deps, current, true);
  if (current.status === 'committing') return commitImport(deps, importId);
  if (current.status !== 'queued' && current.status !== 'processing') return;

  const row = await db
    .updateTable('imports')
    .set((eb) => ({
      status: 'processing',
      runs: eb('runs', '+', 1),
      startedAt: new Date(),
      rowsRead: 0,
      rowsAccepted: 0,
      rowsRejected: 0,
      reasons: '{}',
      errorCode: null,
      errorMessage: null,
      updatedAt: new Date(),
    }))
    .where('id', '=', importId)
    .where('status', 'in', ['queued', 'processing'])
    .returningAll()
    .executeTakeFirst();
  if (!row) return;
  await discard(deps, row, false);
  const table = stagingTable(importId);
  await stagingDdl(table).execute(db);

  try {
    const started = Date.now();
    const counts = await stageRows(deps, client, row, table);
    deps.log.info({ importId, rows: counts.read, ms: Date.now() - started }, 'import staged');
    timed(importId, 'staging', started);
    await finalize(deps, row, table, counts);
  } catch (err) {
    if (err instanceof ImportCancelled) {
      await discard(deps, row, true);
      return;
    }
    if (err instanceof AppError) {
      // The file itself is unusable (binary, zip bomb, oversized row): a final answer, no retry.
      await failImport(deps, importId, err.code, err.message);
      return;
    }
    throw err;
  }
}

/** The import's outcome in the audit trail (counts only, never a value from the file). */
function auditResult(trx: Transaction<Database>, row: ImportRow, action: string, details: Record<string, unknown>) {
  return new AuditService(trx as unknown as Db).record(
    { userId: null, role: 'system', partnerId: row.partnerId },
    { action, targetType: 'import', targetId: row.id, details: { campaignId: row.campaignId, ...details } },
    trx,
  );
}

/** Ends an import as failed, leaving nothing behind but its status and error. */
export async function failImport(deps: ImportDeps, importId: string, code: string, message: string): Promise<void> {
  const open = ['queued', 'processing', 'committing'] as const;
  const current = await deps.db.selectFrom('imports').select('storagePath').where('id', '=', importId).where('status', 'in', open).executeTakeFirst();
  if (!current) return;
  // The file goes first (no open state needs it to end): once "failed" is visible nothing is left,
  // even if this process dies in between (a re-run finds no file and ends failed).
  await removeUpload(current.storagePath);
  const row = await deps.db.transaction().execute(async (trx) => {
    const failed = await trx
      .updateTable('imports')
      .set({ status: 'failed', errorCode: code, errorMessage: message, finishedAt: new Date(), updatedAt: new Date() })
      .where('id', '=', importId)
      .where('status', 'in', open)
      .returningAll()
      .executeTakeFirst();
    if (!failed) return undefined;
    await discard(deps, failed, false, trx);
    await auditResult(trx, failed, 'import.failed', { code });
    return failed;
  });
  if (row) publish(deps, row, 0, null, 0);
}

function publish(deps: ImportDeps, row: Pick<ImportRow, 'id' | 'campaignId' | 'partnerId' | 'status'>, processed: number, total: number | null, errors: number) {
  try {
    deps.progress?.(row.partnerId, { importId: row.id, campaignId: row.campaignId, status: row.status, processed, total, errors });
  } catch (err) {
    deps.log.warn({ err: (err as Error).message }, 'import progress not published');
  }
}

async function stageRows(deps: ImportDeps, client: pg.PoolClient, row: ImportRow, table: string): Promise<{ read: number; staged: number }> {
  const { db, vault } = deps;
  const campaign = await db
    .selectFrom('campaigns')
    .select(['id', 'partnerId', 'defaultRegion', 'legalBasisRequired', 'maskingPolicy'])
    .where('id', '=', row.campaignId)
    .executeTakeFirstOrThrow();
  const key = await vault.keyFor(row.campaignId);
  const format = formatOf(row);
  if (format.kind === 'xlsx') await scanXlsx(openUpload(vault, key, row.storagePath, row.fileKeyCipher));

  const mapping = row.mapping as ColumnMapping;
  const policy = maskingPolicySchema.safeParse(campaign.maskingPolicy);
  const ctx: BatchContext = {
    mapping,
    headers: row.hasHeader ? row.headers : genericHeaders(row.headers.length),
    defaultRegion: campaign.defaultRegion,
    legalBasisRequired: campaign.legalBasisRequired,
    now: new Date(),
    campaignId: row.campaignId,
    dataKey: key.material,
    hmacKey: Buffer.from(deps.config.LOOKUP_HMAC_KEY, 'hex'),
    maskingPolicy: policy.success ? policy.data : defaultMaskingPolicy,
  };
  const threads = deps.threads ?? Math.min(availableParallelism(), 4);
  const pool: BatchPool = threads > 0 && row.fileSize >= THREADS_FROM_BYTES ? threadPool(ctx, threads) : inlinePool(ctx);
  const copy = client.query(copyFrom(`copy ${table} (${STAGING_COLUMNS.join(', ')}) from stdin with (format binary)`));
  const copied = once(copy, 'finish');
  copied.catch(() => undefined);

  let read = 0;
  let staged = 0;
  let rejected = 0;
  let lastTick = Date.now();
  const maxInFlight = Math.max(2, threads * 2);
  const inFlight: Promise<BatchResult>[] = [];

  // Block lists, duplicates in the file and in the campaign are set-based, in finalize.
  const settle = async (result: BatchResult) => {
    await Promise.all([result.staged ? write(copy, result.copy) : undefined, insertRejects(db, row.id, result.rejects)]);
    staged += result.staged;
    rejected += result.rejects.length;
    if (Date.now() - lastTick >= PROGRESS_MS) {
      lastTick = Date.now();
      const now = await db
        .updateTable('imports')
        .set({ rowsRead: read, rowsAccepted: staged, rowsRejected: rejected, updatedAt: new Date() })
        .where('id', '=', row.id)
        .returning('status')
        .executeTakeFirst();
      if (now?.status !== 'processing') throw new ImportCancelled();
      publish(deps, row, staged + rejected, null, rejected);
    }
  };

  try {
    await write(copy, COPY_BINARY_HEADER);
    let first = true;
    // Wide rows (up to 500 cells of 2,000 characters) must not pile up: batches are bounded in size too.
    const batches = readBatches(openUpload(vault, key, row.storagePath, row.fileKeyCipher), format, { rows: BATCH_ROWS, chars: BATCH_CHARS });
    for await (const batch of batches) {
      if (first) {
        first = false;
        if (row.hasHeader) batch.shift();
      }
      if (batch.length === 0) continue;
      read += batch.length;
      inFlight.push(pool.run(batch));
      if (inFlight.length >= maxInFlight) await settle(await inFlight.shift()!);
    }
    while (inFlight.length) await settle(await inFlight.shift()!);
    await write(copy, COPY_BINARY_TRAILER);
    copy.end();
    await copied;
  } catch (err) {
    copy.destroy(err as Error);
    await Promise.allSettled(inFlight);
    throw err;
  } finally {
    await pool.close();
  }
  await db
    .updateTable('imports')
    .set({ rowsRead: read, rowsAccepted: staged, rowsRejected: rejected, updatedAt: new Date() })
    .where('id', '=', row.id)
    .execute();
  return { read, staged };
}

/**
 * Set-based checks over the staged rows: block lists (the strongest list is reported), duplicates
 * in the file (keeping the first occurrence) and numbers already in the campaign; then the
 * decision: swap in, wait for the partner, or refuse.
 */
async function finalize(deps: ImportDeps, row: ImportRow, table: string, counts: { read: number; staged: number }): Promise<void> {
  const { db } = deps;
  const read = counts.read;
  const phoneHeader = phoneColumnName(row);
  const staging = sql.table(table);
  let started = Date.now();
  const blocked = await sql`with hit as (
      delete from ${staging} s using (${blockedNumbers(row.partnerId)}) b where s.phone_hmac = b.phone_hmac returning s.row_no, b.list)
    insert into import_rejects (import_id, row_no, reason, column_name, detail)
    select ${row.id}::uuid, row_no, 'blocked', ${phoneHeader}, list from hit`.execute(db);
  timed(row.id, 'blocklists', started);
  started = Date.now();
  // Byte order ("C") sorts hex keys several times faster than the database's linguistic collation.
  const dupInFile = await db.transaction().execute(async (trx) => {
    await sql`set local work_mem = '64MB'`.execute(trx);
    return sql`with ranked as (
        select row_no, first_value(row_no) over (partition by phone_hmac collate "C" order by row_no) as first_row from ${staging}),
      dup as (delete from ${staging} s using ranked r where s.row_no = r.row_no and r.first_row <> r.row_no returning s.row_no, r.first_row)
      insert into import_rejects (import_id, row_no, reason, column_name, detail)
      select ${row.id}::uuid, row_no, 'duplicate_in_file', ${phoneHeader}, 'ligne ' || first_row from dup`.execute(trx);
  });
  timed(row.id, 'dedupe_in_file', started);
  started = Date.now();
  const dupInCampaign = await sql`with dup as (delete from ${staging} s using contacts c
      where c.campaign_id = ${row.campaignId}::uuid and c.phone_hmac = s.phone_hmac returning s.row_no)
    insert into import_rejects (import_id, row_no, reason, column_name, detail)
    select ${row.id}::uuid, row_no, 'duplicate_in_campaign', ${phoneHeader}, null from dup`.execute(db);
  timed(row.id, 'dedupe_in_campaign', started);

  const removed = [blocked, dupInFile, dupInCampaign].reduce((n, r) => n + Number(r.numAffectedRows ?? 0), 0);
  const accepted = counts.staged - removed;
  const reasons = await reasonCounts(db, row.id);
  const rejected = Object.values(reasons).reduce((a, b) => a + b, 0);
  const base = { rowsRead: read, rowsAccepted: accepted, rowsRejected: rejected, reasons: JSON.stringify(reasons), updatedAt: new Date() };

  if (accepted > 0 && (rejected === 0 || row.acceptValidSubset)) {
    const committing = await db
      .updateTable('imports')
      .set({ ...base, status: 'committing' })
      .where('id', '=', row.id)
      .where('status', '=', 'processing')
      .returning('id')
      .executeTakeFirst();
    if (!committing) throw new ImportCancelled();
    await commitImport(deps, row.id);
    return;
  }
  const status = accepted === 0 ? 'rejected' : 'awaiting_confirmation';
  const done = await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('imports')
      .set({ ...base, status, ...(status === 'rejected' ? { finishedAt: new Date() } : {}) })
      .where('id', '=', row.id)
      .where('status', '=', 'processing')
      .returning('id')
      .executeTakeFirst();
    if (updated) await auditResult(trx, row, `import.${status}`, { read, accepted, rejected, reasons });
    return updated;
  });
  if (!done) throw new ImportCancelled();
  // A refused import keeps its report, not its rows or file.
  if (status === 'rejected') {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
    await removeUpload(row.storagePath);
  }
  publish(deps, { ...row, status }, read, read, rejected);
}

function phoneColumnName(row: ImportRow): string | null {
  const column = (row.mapping as ColumnMapping | null)?.phones[0];
  if (column === undefined) return null;
  return (row.hasHeader ? row.headers : genericHeaders(row.headers.length))[column] ?? null;
}

/**
 * The swap: every staged row becomes a contact in ONE transaction, with the import's final status
 * and its audit row; a number another import stored meanwhile is reported, not duplicated.
 */
export async function commitImport(deps: ImportDeps, importId: string): Promise<void> {
  const { db } = deps;
  const started = Date.now();
  const result = await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('imports').selectAll().where('id', '=', importId).forUpdate().executeTakeFirst();
    if (!row || row.status !== 'committing') return null;
    const table = stagingTable(importId);
    // The sort of a million staged rows fits in memory instead of spilling to disk.
    await sql`set local work_mem = '256MB'`.execute(trx);
    // Rows go in by number and their ids increase in that order: every index of contacts and
    // contacts_dialing grows at its right edge instead of dirtying a random page per row.
    const inserted = await sql<{ n: number }>`with ins as (
        insert into contacts (id, campaign_id, partner_id, import_id, phone_hmac, phones_cipher, pii_cipher, territory, time_zone,
          language, legal_basis, consent_at, consent_source, masked)
        select (${orderedIdPrefix()} || lpad(to_hex(row_number() over (order by phone_hmac collate "C")), 8, '0'))::uuid,
          ${row.campaignId}::uuid, ${row.partnerId}::uuid, ${row.id}::uuid, phone_hmac, phones_cipher, pii_cipher, territory,
          time_zone, language, legal_basis, consent_at, consent_source, masked
        from ${sql.table(table)} order by phone_hmac collate "C"
        on conflict (campaign_id, phone_hmac) do nothing
        returning ${DIALING_SOURCE_COLUMNS}),
      ${dialingRowsFrom('ins')}
      select count(*)::int as n from dialing`.execute(trx);
    const imported = inserted.rows[0]?.n ?? 0;
    timed(importId, 'swap_insert', started);
    // Every staged row went in unless another import stored some of the numbers meanwhile.
    if (imported !== row.rowsAccepted) {
      await sql`insert into import_rejects (import_id, row_no, reason, column_name, detail)
        select ${row.id}::uuid, s.row_no, 'duplicate_in_campaign', ${phoneColumnName(row)}, null
        from ${sql.table(table)} s join contacts c on c.campaign_id = ${row.campaignId}::uuid and c.phone_hmac = s.phone_hmac
        where c.import_id is distinct from ${row.id}::uuid`.execute(trx);
    }
    const reasons = await reasonCounts(trx, row.id);
    const rejected = Object.values(reasons).reduce((a, b) => a + b, 0);
    await trx
      .updateTable('imports')
      .set({ status: 'completed', rowsImported: imported, rowsAccepted: imported, rowsRejected: rejected, reasons: JSON.stringify(reasons), finishedAt: new Date(), updatedAt: new Date() })
      .where('id', '=', row.id)
      .execute();
    await sql`drop table ${sql.table(table)}`.execute(trx);
    await auditResult(trx, row, 'import.completed', { imported, rejected, reasons });
    return { row, imported, rejected, ms: Date.now() - started };
  });
  if (!result) return;
  timed(importId, 'swap', started);
  await removeUpload(result.row.storagePath);
  publish(deps, { ...result.row, status: 'completed' }, result.row.rowsRead, result.row.rowsRead, result.rejected);
  deps.log.info({ importId, imported: result.imported, rejected: result.rejected, commitMs: result.ms }, 'import completed');
}
