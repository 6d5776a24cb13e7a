import pg from 'pg';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { confirmMappingBody, importView } from '@passerelle/shared/api/imports';
import { createImportQueue, startImportWorker } from './queue.ts';
import { ImportService } from './service.ts';
import type { ImportDeps } from './job.ts';

const partnerSide = { roles: ['admin', 'trainer', 'partner'] as const, apiKey: true };
const campaignParams = z.object({ id: z.uuid() });
const importParams = z.object({ id: z.uuid() });
const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }) });

/** Partner file imports: upload, mapping, progress, report, decision, cancel. */
const importRoutes: FastifyPluginAsyncZod = async (app) => {
  // BullMQ gets connections of its own: closing them never races the app's shared client.
  const queueConnection = app.redis.duplicate();
  const queue = createImportQueue(queueConnection, app.config.REDIS_PREFIX);
  app.addHook('onClose', async () => {
    await queue.close();
    queueConnection.disconnect();
  });
  const imports = new ImportService({ db: app.db, vault: app.vault, audit: app.audit, config: app.config, queue });

  app.workers.register({
    name: 'imports',
    start: async (instance) => {
      const pool = new pg.Pool({ connectionString: instance.config.DATABASE_URL, max: 3, application_name: 'passerelle-imports' });
      pool.on('error', (err) => instance.log.warn({ err: err.message }, 'import database connection lost'));
      const deps: ImportDeps = {
        db: instance.db,
        pg: pool,
        vault: instance.vault,
        config: instance.config,
        log: instance.log,
        progress: instance.hasDecorator('realtime') ? (partnerId, p) => instance.realtime.toPartner(partnerId, 'import:progress', p) : undefined,
      };
      const connection = instance.redis.duplicate();
      const worker = startImportWorker(deps, connection, instance.config.REDIS_PREFIX);
      return {
        close: async () => {
          await worker.close();
          connection.disconnect();
          await pool.end();
        },
      };
    },
  });

  app.post('/campaigns/:id/imports', {
    config: { access: partnerSide },
    schema: {
      tags: ['imports'],
      summary: 'Déposer un fichier (CSV, TXT ou XLSX, multipart champ « file ») pour une campagne',
      consumes: ['multipart/form-data'],
      params: campaignParams,
      response: { 201: importView, 409: errorBody, 413: errorBody, 415: errorBody, 422: errorBody },
    },
    handler: async (request, reply) => {
      const part = request.isMultipart() ? await request.file() : undefined;
      return reply.status(201).send(await imports.upload(request.principal!, request.ip, request.params.id, part));
    },
  });

  app.get('/campaigns/:id/imports', {
    config: { access: partnerSide },
    schema: { tags: ['imports'], summary: 'Imports d’une campagne', params: campaignParams, response: { 200: z.object({ items: z.array(importView) }) } },
    handler: async (request) => ({ items: await imports.list(request.principal!, request.params.id) }),
  });

  app.get('/imports/:id', {
    config: { access: partnerSide },
    schema: { tags: ['imports'], summary: 'État, compteurs et motifs de rejet d’un import', params: importParams, response: { 200: importView } },
    handler: async (request) => imports.get(request.principal!, request.params.id),
  });

  app.post('/imports/:id/mapping', {
    config: { access: partnerSide },
    schema: {
      tags: ['imports'],
      summary: 'Confirmer la correspondance des colonnes et lancer l’import',
      params: importParams,
      body: confirmMappingBody,
      response: { 202: importView },
    },
    handler: async (request, reply) => reply.status(202).send(await imports.confirmMapping(request.principal!, request.ip, request.params.id, request.body)),
  });

  app.post('/imports/:id/accept', {
    config: { access: partnerSide },
    schema: { tags: ['imports'], summary: 'Importer les lignes valides malgré les lignes refusées', params: importParams, response: { 202: importView } },
    handler: async (request, reply) => reply.status(202).send(await imports.acceptValidSubset(request.principal!, request.ip, request.params.id)),
  });

  app.post('/imports/:id/cancel', {
    config: { access: partnerSide },
    schema: { tags: ['imports'], summary: 'Annuler un import (rien n’est conservé)', params: importParams, response: { 200: importView } },
    handler: async (request) => imports.cancel(request.principal!, request.ip, request.params.id),
  });

  app.get('/imports/:id/errors.csv', {
    config: { access: partnerSide },
    schema: {
      tags: ['imports'],
      summary: 'Lignes refusées (CSV pour Excel, valeurs masquées)',
      params: importParams,
      produces: ['text/csv'],
      response: { 200: z.string().describe('CSV') },
    },
    handler: async (request, reply) => {
      const body = await imports.errorsCsv(request.principal!, request.params.id);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="import-${request.params.id}-rejets.csv"`)
        .header('cache-control', 'no-store')
        // A stream bypasses serialization; the schema documents the CSV body for OpenAPI.
        .send(body as unknown as string);
    },
  });
};

export default importRoutes;
