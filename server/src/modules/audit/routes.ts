import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listAuditQuery, listAuditReply, verifyAuditReply } from '@passerelle/shared/api/admin';
import { actorOf } from '../../lib/principal.ts';
import { AuditRepository } from './repository.ts';
import { verifyAuditChain } from './verify.ts';

const adminOnly = { access: { roles: ['admin'] as const } };

const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  const repo = new AuditRepository(app.db);

  app.get('/admin/audit', {
    config: adminOnly,
    schema: { tags: ['admin'], summary: 'Journal d’audit (du plus récent au plus ancien)', querystring: listAuditQuery, response: { 200: listAuditReply } },
    handler: async (request) => {
      const { from, to, ...rest } = request.query;
      const rows = await repo.list({ ...rest, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined });
      return {
        items: rows.map((r) => ({ ...r, at: r.at.toISOString() })),
        nextCursor: rows.length === rest.limit ? rows[rows.length - 1]!.id : null,
      };
    },
  });

  app.post('/admin/audit/verify', {
    config: adminOnly,
    schema: { tags: ['admin'], summary: 'Vérifier l’intégrité de la chaîne d’audit', response: { 200: verifyAuditReply } },
    handler: async (request) => {
      const result = await verifyAuditChain(app.db);
      const reply = result.ok
        ? { ok: true, rows: result.rows, brokenId: null, reason: null }
        : { ok: false, rows: result.rows, brokenId: result.brokenId, reason: result.reason };
      // Recorded after the walk, so the check itself is in the trail but not in what it covered.
      await app.audit.record(actorOf(request.principal, request.ip), { action: 'audit.verified', details: reply });
      return reply;
    },
  });
};

export default auditRoutes;
