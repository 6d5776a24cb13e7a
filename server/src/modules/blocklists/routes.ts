import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffRoles } from '@passerelle/shared/roles';
import { normalizePhone } from '@passerelle/shared/phone';
import {
  addJusticeBody,
  justiceEntry,
  listJusticeReply,
  partnerListsReply,
  searchJusticeReply,
  searchNumberBody,
  suppressionUploadQuery,
  suppressionUploadReply,
} from '@passerelle/shared/api/blocklists';
import { AppError, badRequest, conflict, notFound } from '../../lib/errors.ts';
import { actorOf } from '../../lib/principal.ts';
import { assertPartnerAccess } from '../../plugins/auth.ts';
import { readNumberFile } from './number-file.ts';
import { BlocklistRepository } from './repository.ts';

/** What the audit trail and the API show of a number: an HMAC prefix, never the number. */
const hmacPrefix = (hmac: string) => hmac.slice(0, 12);

const toEntry = (r: { id: string; phoneHmac: string; reason: string; expiresAt: Date | null; createdBy: string | null; createdAt: Date }) => ({
  id: r.id,
  hmacPrefix: hmacPrefix(r.phoneHmac),
  reason: r.reason,
  expiresAt: r.expiresAt?.toISOString() ?? null,
  expired: r.expiresAt !== null && r.expiresAt.getTime() <= Date.now(),
  createdBy: r.createdBy,
  createdAt: r.createdAt.toISOString(),
});

const INSERT_BATCH = 5000;
const INVALID_SAMPLES = 20;

const blocklistRoutes: FastifyPluginAsyncZod = async (app) => {
  const repo = new BlocklistRepository(app.db);
  const admins = { roles: ['admin'] as const };

  const hmacOf = (number: string, region: string) => {
    const phone = normalizePhone(number, region);
    if (!phone.ok) throw badRequest('INVALID_NUMBER', 'Numéro invalide ou non reconnu.', { reason: phone.reason });
    return app.vault.phoneHmac(phone.e164);
  };

  // ---------------------------------------------------------------- justice blocklist (admins)

  app.get('/admin/blocklist', {
    config: { access: admins },
    schema: {
      tags: ['blocklists'],
      summary: 'Liste de blocage justice (victimes, parties civiles)',
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100), offset: z.coerce.number().int().min(0).default(0) }),
      response: { 200: listJusticeReply },
    },
    handler: async (request) => {
      const [rows, total] = await Promise.all([repo.listJustice(request.query.limit, request.query.offset), repo.countJustice()]);
      return { items: rows.map(toEntry), total };
    },
  });

  // A POST, so the number stays out of URLs and access logs.
  app.post('/admin/blocklist/search', {
    config: { access: admins },
    schema: { tags: ['blocklists'], summary: 'Chercher un numéro dans la liste de blocage justice', body: searchNumberBody, response: { 200: searchJusticeReply } },
    handler: async (request) => {
      const rows = await repo.findJustice(hmacOf(request.body.number, request.body.region));
      await app.audit.record(actorOf(request.principal, request.ip), {
        action: 'blocklist.search',
        targetType: 'justice_blocklist',
        details: { found: rows.length },
      });
      return { items: rows.map(toEntry) };
    },
  });

  app.post('/admin/blocklist', {
    config: { access: admins },
    schema: { tags: ['blocklists'], summary: 'Ajouter un numéro à la liste de blocage justice', body: addJusticeBody, response: { 201: justiceEntry } },
    handler: async (request, reply) => {
      const { number, region, reason, expiresAt } = request.body;
      const expiry = expiresAt ? new Date(expiresAt) : null;
      if (expiry && expiry.getTime() <= Date.now()) throw badRequest('EXPIRY_IN_PAST', 'La date d’expiration doit être dans le futur.');
      const phoneHmac = hmacOf(number, region);
      const row = await app.db.transaction().execute(async (trx) => {
        // An expired entry no longer blocks: adding the number again replaces it (audited as such).
        const replaced = await repo.deleteExpiredJustice(trx, phoneHmac);
        const row = await repo.insertJustice(trx, { phoneHmac, reason, expiresAt: expiry, createdBy: request.principal?.userId ?? null });
        if (!row) throw conflict('ALREADY_BLOCKED', 'Ce numéro est déjà dans la liste de blocage.');
        await app.audit.record(
          actorOf(request.principal, request.ip),
          {
            action: 'blocklist.add',
            targetType: 'justice_blocklist',
            targetId: row.id,
            details: { hmacPrefix: hmacPrefix(phoneHmac), expiresAt: expiry?.toISOString() ?? null, ...(replaced ? { replacedExpired: replaced.id } : {}) },
          },
          trx,
        );
        return row;
      });
      return reply.status(201).send(toEntry(row));
    },
  });

  app.delete('/admin/blocklist/:id', {
    config: { access: admins },
    schema: { tags: ['blocklists'], summary: 'Retirer une entrée de la liste de blocage justice', params: z.object({ id: z.uuid() }), response: { 204: z.null() } },
    handler: async (request, reply) => {
      await app.db.transaction().execute(async (trx) => {
        const removed = await repo.deleteJustice(trx, request.params.id);
        if (!removed) throw notFound('Entrée');
        await app.audit.record(
          actorOf(request.principal, request.ip),
          { action: 'blocklist.remove', targetType: 'justice_blocklist', targetId: removed.id, details: { hmacPrefix: hmacPrefix(removed.phoneHmac) } },
          trx,
        );
      });
      return reply.status(204).send(null);
    },
  });

  // ---------------------------------------------------------------- partner suppression lists

  const partnerParams = z.object({ partnerId: z.uuid() });
  const partnerAccess = { roles: [...staffRoles, 'partner'] as const, apiKey: true };

  app.get('/partners/:partnerId/suppressions', {
    config: { access: partnerAccess },
    schema: { tags: ['blocklists'], summary: 'Nombre de numéros en liste d’exclusion et d’oppositions', params: partnerParams, response: { 200: partnerListsReply } },
    handler: async (request) => {
      assertPartnerAccess(request.principal, request.params.partnerId, 'Partenaire');
      return repo.partnerCounts(request.params.partnerId);
    },
  });

  app.post('/partners/:partnerId/suppressions', {
    config: { access: partnerAccess },
    schema: {
      tags: ['blocklists'],
      summary: 'Téléverser une liste d’exclusion (CSV, un numéro par ligne en première colonne)',
      consumes: ['multipart/form-data'],
      params: partnerParams,
      querystring: suppressionUploadQuery,
      response: { 200: suppressionUploadReply },
    },
    handler: async (request) => {
      const { partnerId } = request.params;
      assertPartnerAccess(request.principal, partnerId, 'Partenaire');
      if (!(await app.db.selectFrom('partners').select('id').where('id', '=', partnerId).executeTakeFirst())) throw notFound('Partenaire');
      if (!request.isMultipart()) throw new AppError(415, 'MULTIPART_REQUIRED', 'Envoyez le fichier en multipart/form-data.');
      const file = await request.file();
      if (!file) throw badRequest('FILE_REQUIRED', 'Aucun fichier reçu.');
      if (!/\.(csv|txt)$/i.test(file.filename)) throw badRequest('UNSUPPORTED_FILE_TYPE', 'Format non pris en charge : envoyez un fichier .csv ou .txt.');
      const createdBy = request.principal?.kind === 'session' ? request.principal.userId : null;

      const counts = { lines: 0, added: 0, alreadyListed: 0, invalid: 0, invalidSamples: [] as { line: number; reason: string }[] };
      await app.db.transaction().execute(async (trx) => {
        let batch = new Set<string>();
        const flush = async () => {
          const added = await repo.addSuppressions(trx, partnerId, [...batch], createdBy);
          counts.added += added;
          batch = new Set();
        };
        try {
          for await (const { line, result } of readNumberFile(file.file, request.query.region)) {
            counts.lines++;
            if (!result.ok) {
              counts.invalid++;
              if (counts.invalidSamples.length < INVALID_SAMPLES) counts.invalidSamples.push({ line, reason: result.reason });
              continue;
            }
            batch.add(app.vault.phoneHmac(result.e164));
            if (batch.size >= INSERT_BATCH) await flush();
          }
        } catch (err) {
          if (err instanceof AppError || (err as { statusCode?: number }).statusCode === 413) throw err;
          throw badRequest('UNREADABLE_FILE', 'Fichier illisible : vérifiez qu’il s’agit d’un CSV texte.');
        }
        if (file.file.truncated) throw new AppError(413, 'PAYLOAD_TOO_LARGE', 'Fichier trop volumineux.');
        await flush();
        counts.alreadyListed = counts.lines - counts.invalid - counts.added;
        await app.audit.record(
          actorOf(request.principal, request.ip),
          {
            action: 'suppression.upload',
            targetType: 'partner',
            targetId: partnerId,
            details: { lines: counts.lines, added: counts.added, alreadyListed: counts.alreadyListed, invalid: counts.invalid },
          },
          trx,
        );
      });
      return counts;
    },
  });
};

export default blocklistRoutes;
