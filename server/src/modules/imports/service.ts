import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Queue } from 'bullmq';
import type { MultipartFile } from '@fastify/multipart';
import { sql } from 'kysely';
import { rejectReasonLabels, type ConfirmMappingBody, type ImportView, type RejectReason } from '@passerelle/shared/api/imports';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { AppError, badRequest, conflict, notFound } from '../../lib/errors.ts';
import { CSV_BOM, csvLine } from '../campaigns/csv.ts';
import { actorOf, type Principal } from '../../lib/principal.ts';
import { assertPartnerAccess, partnerScope } from '../../plugins/auth.ts';
import type { AuditService } from '../audit/service.ts';
import type { Vault } from '../vault/vault.ts';
import { newFileKey } from './filecrypt.ts';
import { stagingTable } from './job.ts';
import { headerSignature, mappingProblems, suggestMapping, type ColumnMapping } from './mapping.ts';
import { sniffCsv, type FileFormat } from './parsing/source.ts';
import { scanXlsx } from './parsing/xlsx.ts';
import { maskPreview, readShape } from './preview.ts';
import { enqueueImport, type ImportJob } from './queue.ts';
import { ensureUploadDir, openUpload, removeUpload, uploadPath } from './storage.ts';
import type { ImportRow } from './tables.ts';
import { kindOfName, storeUpload } from './upload.ts';

export interface ImportServiceDeps {
  db: Db;
  vault: Vault;
  audit: AuditService;
  config: Pick<Config, 'DATA_DIR' | 'UPLOAD_MAX_MB'>;
  queue: Queue<ImportJob>;
}

const CANCELLABLE = ['uploaded', 'queued', 'processing', 'awaiting_confirmation'] as const;

export function toView(row: ImportRow): ImportView {
  return {
    id: row.id,
    campaignId: row.campaignId,
    status: row.status,
    fileName: row.fileName,
    fileKind: row.fileKind,
    fileSize: row.fileSize,
    encoding: row.encoding,
    delimiter: row.delimiter,
    hasHeader: row.hasHeader,
    headers: row.headers,
    preview: row.preview,
    suggestedMapping: row.suggestedMapping,
    mapping: row.mapping,
    acceptValidSubset: row.acceptValidSubset,
    counts: { read: row.rowsRead, accepted: row.rowsAccepted, rejected: row.rowsRejected, imported: row.rowsImported },
    reasons: row.reasons,
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? '' } : null,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

export class ImportService {
  constructor(private readonly deps: ImportServiceDeps) {}

  private async campaignFor(principal: Principal, campaignId: string) {
    const campaign = await this.deps.db
      .selectFrom('campaigns')
      .select(['id', 'partnerId', 'defaultRegion', 'purgedAt'])
      .where('id', '=', campaignId)
      .executeTakeFirst();
    if (!campaign) throw notFound('Campagne');
    assertPartnerAccess(principal, campaign.partnerId, 'Campagne');
    if (campaign.purgedAt) throw conflict('CAMPAIGN_PURGED', 'Cette campagne a été purgée : elle ne reçoit plus de fichiers.');
    return campaign;
  }

  private async importFor(principal: Principal, importId: string): Promise<ImportRow> {
    const scope = partnerScope(principal);
    let query = this.deps.db.selectFrom('imports').selectAll().where('id', '=', importId);
    if (scope) query = query.where('partnerId', '=', scope);
    const row = await query.executeTakeFirst();
    if (!row) throw notFound('Import');
    return row;
  }

  async upload(principal: Principal, ip: string, campaignId: string, part: MultipartFile | undefined): Promise<ImportView> {
    const campaign = await this.campaignFor(principal, campaignId);
    if (!part) throw badRequest('FILE_REQUIRED', 'Aucun fichier reçu (champ « file » attendu).');
    const kind = kindOfName(part.filename);
    const { db, vault, config } = this.deps;
    const id = randomUUID();
    const target = uploadPath(config.DATA_DIR, campaign.id, id);
    await ensureUploadDir(target);
    const key = await vault.keyFor(campaign.id);
    const fileKey = newFileKey();
    const fileKeyCipher = vault.encrypt(key, fileKey);
    let stored: Awaited<ReturnType<typeof storeUpload>>;
    try {
      stored = await storeUpload(part.file, kind, fileKey, target);
      if (part.file.truncated) throw new Error('truncated');
    } catch (err) {
      await removeUpload(target);
      if (err instanceof AppError) throw err;
      if (part.file.truncated || (err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
        throw new AppError(413, 'FILE_TOO_LARGE', `Le fichier dépasse la taille maximale autorisée (${config.UPLOAD_MAX_MB} Mo). Rien n’a été conservé.`);
      }
      throw err;
    }

    try {
      await this.assertNotDuplicate(campaign.id, stored.sha256);
      const open = () => openUpload(vault, key, target, fileKeyCipher);
      let format: FileFormat;
      if (kind === 'xlsx') {
        await scanXlsx(open());
        format = { kind: 'xlsx' };
      } else {
        format = await sniffCsv(open(), stored.utf8);
      }
      const shape = await readShape(open(), format);
      const signature = headerSignature(shape.headers);
      const saved = await db
        .selectFrom('importMappings')
        .select('mapping')
        .where('partnerId', '=', campaign.partnerId)
        .where('headerSignature', '=', signature)
        .executeTakeFirst();
      const suggested: ColumnMapping =
        saved && mappingProblems(saved.mapping, shape.headers.length).length === 0 ? saved.mapping : suggestMapping(shape.headers);
      const row = await db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('imports')
          .values({
            id,
            campaignId: campaign.id,
            partnerId: campaign.partnerId,
            uploadedBy: principal.kind === 'session' ? principal.userId : null,
            uploadedByKey: principal.kind === 'apiKey' ? principal.keyId : null,
            fileName: part.filename.slice(0, 255),
            fileKind: kind,
            fileSize: stored.size,
            contentSha256: stored.sha256,
            storagePath: target,
            fileKeyCipher,
            encoding: format.kind === 'csv' ? format.encoding : null,
            delimiter: format.kind === 'csv' ? format.delimiter : null,
            hasHeader: shape.hasHeader,
            headers: JSON.stringify(shape.headers),
            preview: JSON.stringify(maskPreview(shape.sample, suggested, campaign.defaultRegion)),
            headerSignature: signature,
            suggestedMapping: JSON.stringify(suggested),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await this.deps.audit.record(
          actorOf(principal, ip),
          { action: 'import.upload', targetType: 'import', targetId: id, details: { campaignId: campaign.id, fileKind: kind, size: stored.size } },
          trx,
        );
        return inserted;
      });
      return toView(row);
    } catch (err) {
      await removeUpload(target);
      if ((err as { code?: string }).code === '23505') await this.assertNotDuplicate(campaign.id, stored.sha256);
      throw err;
    }
  }

  private async assertNotDuplicate(campaignId: string, sha256: string): Promise<void> {
    const earlier = await this.deps.db
      .selectFrom('imports')
      .select(['id', 'status'])
      .where('campaignId', '=', campaignId)
      .where('contentSha256', '=', sha256)
      // Nothing of these was imported: the same file may come again.
      .where('status', 'not in', ['cancelled', 'failed', 'rejected'])
      .executeTakeFirst();
    if (earlier) {
      throw new AppError(409, 'DUPLICATE_FILE', 'Ce fichier a déjà été envoyé pour cette campagne : il ne sera pas importé deux fois.', { importId: earlier.id });
    }
  }

  async get(principal: Principal, importId: string): Promise<ImportView> {
    return toView(await this.importFor(principal, importId));
  }

  async list(principal: Principal, campaignId: string): Promise<ImportView[]> {
    const campaign = await this.campaignFor(principal, campaignId);
    const rows = await this.deps.db.selectFrom('imports').selectAll().where('campaignId', '=', campaign.id).orderBy('createdAt', 'desc').limit(100).execute();
    return rows.map(toView);
  }

  async confirmMapping(principal: Principal, ip: string, importId: string, body: ConfirmMappingBody): Promise<ImportView> {
    const current = await this.importFor(principal, importId);
    if (current.status !== 'uploaded') throw conflict('IMPORT_NOT_UPLOADED', 'La correspondance des colonnes a déjà été confirmée pour cet import.');
    const problems = mappingProblems(body.mapping, current.headers.length);
    if (problems.length) throw badRequest('INVALID_MAPPING', problems.join(' '), { problems });
    const { db } = this.deps;
    const row = await db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('imports')
        .set({
          mapping: JSON.stringify(body.mapping),
          acceptValidSubset: body.acceptValidSubset,
          hasHeader: body.hasHeader ?? current.hasHeader,
          status: 'queued',
          updatedAt: new Date(),
        })
        .where('id', '=', importId)
        .where('status', '=', 'uploaded')
        .returningAll()
        .executeTakeFirst();
      if (!updated) throw conflict('IMPORT_NOT_UPLOADED', 'La correspondance des colonnes a déjà été confirmée pour cet import.');
      await trx
        .insertInto('importMappings')
        .values({
          partnerId: current.partnerId,
          headerSignature: current.headerSignature,
          headers: JSON.stringify(current.headers),
          mapping: JSON.stringify(body.mapping),
          updatedBy: principal.kind === 'session' ? principal.userId : null,
        })
        .onConflict((oc) =>
          oc.columns(['partnerId', 'headerSignature']).doUpdateSet((eb) => ({
            mapping: eb.ref('excluded.mapping'),
            headers: eb.ref('excluded.headers'),
            updatedBy: eb.ref('excluded.updatedBy'),
            updatedAt: new Date(),
          })),
        )
        .execute();
      await this.deps.audit.record(
        actorOf(principal, ip),
        { action: 'import.mapping', targetType: 'import', targetId: importId, details: { mapping: body.mapping, acceptValidSubset: body.acceptValidSubset } },
        trx,
      );
      return updated;
    });
    await enqueueImport(this.deps.queue, importId, 'process');
    return toView(row);
  }

  /** After a report with refused rows: import the valid ones (invariant 7: only on explicit request). */
  async acceptValidSubset(principal: Principal, ip: string, importId: string): Promise<ImportView> {
    await this.importFor(principal, importId);
    const row = await this.deps.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('imports')
        .set({ status: 'committing', acceptValidSubset: true, updatedAt: new Date() })
        .where('id', '=', importId)
        .where('status', '=', 'awaiting_confirmation')
        .returningAll()
        .executeTakeFirst();
      if (!updated) throw conflict('IMPORT_NOT_AWAITING', 'Cet import n’attend pas de décision.');
      await this.deps.audit.record(actorOf(principal, ip), { action: 'import.accept_valid_subset', targetType: 'import', targetId: importId }, trx);
      return updated;
    });
    await enqueueImport(this.deps.queue, importId, 'commit');
    return toView(row);
  }

  /** Cancels before the swap; a running job notices within a second and removes what it staged. */
  async cancel(principal: Principal, ip: string, importId: string): Promise<ImportView> {
    await this.importFor(principal, importId);
    const row = await this.deps.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('imports')
        .set({ status: 'cancelled', finishedAt: new Date(), updatedAt: new Date() })
        .where('id', '=', importId)
        .where('status', 'in', CANCELLABLE)
        .returningAll()
        .executeTakeFirst();
      if (!updated) throw conflict('IMPORT_NOT_CANCELLABLE', 'Cet import est terminé : il ne peut plus être annulé.');
      await this.deps.audit.record(actorOf(principal, ip), { action: 'import.cancel', targetType: 'import', targetId: importId }, trx);
      return updated;
    });
    // No job holds these two states: clean up now. Otherwise the job does it when it sees the cancel.
    await this.cleanupIfIdle(row);
    return toView(row);
  }

  private async cleanupIfIdle(row: ImportRow): Promise<void> {
    await this.deps.db.connection().execute(async (conn) => {
      const key = `import:${row.id}`;
      const lock = await sql<{ ok: boolean }>`select pg_try_advisory_lock(hashtextextended(${key}, 0)) as ok`.execute(conn);
      if (!lock.rows[0]?.ok) return; // a run holds it and will clean up itself
      try {
        await sql`drop table if exists ${sql.table(stagingTable(row.id))}`.execute(conn);
        await conn.deleteFrom('importRejects').where('importId', '=', row.id).execute();
        await removeUpload(row.storagePath);
      } finally {
        await sql`select pg_advisory_unlock(hashtextextended(${key}, 0))`.execute(conn);
      }
    });
  }

  /** The refused rows as CSV for French Excel (UTF-8 BOM, `;`), values masked and formula-safe. */
  async errorsCsv(principal: Principal, importId: string): Promise<Readable> {
    const row = await this.importFor(principal, importId);
    const staff = partnerScope(principal) === null;
    const db = this.deps.db;
    async function* lines() {
      yield CSV_BOM + csvLine(['ligne', 'colonne', 'code', 'motif', 'valeur (masquée)']);
      let after = 0;
      for (;;) {
        const page = await db
          .selectFrom('importRejects')
          .select(['rowNo', 'reason', 'columnName', 'detail'])
          .where('importId', '=', row.id)
          .where('rowNo', '>', after)
          .orderBy('rowNo')
          .limit(5_000)
          .execute();
        if (page.length === 0) return;
        let out = '';
        for (const r of page) {
          const label = rejectReasonLabels[r.reason as RejectReason] ?? r.reason;
          // Partners learn that a number is excluded, not that it is on the justice list (victims).
          const detail = r.reason === 'blocked' && !staff ? 'liste d’exclusion' : r.detail;
          out += csvLine([r.rowNo, r.columnName, r.reason, label, detail]);
        }
        yield out;
        after = page[page.length - 1]!.rowNo;
      }
    }
    return Readable.from(lines());
  }
}
