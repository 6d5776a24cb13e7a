import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { forbidden, notFound } from '../../lib/errors.ts';
import { actorOf, type Principal } from '../../lib/principal.ts';
import type { SessionPrincipal } from '../../plugins/realtime.ts';
import { HelpRequests, viewOf } from './service.ts';

const helpView = z.object({ status: z.enum(['none', 'open', 'acknowledged']), acknowledgedBy: z.string().nullable() });
const helpRequest = z.object({
  userId: z.uuid(),
  displayName: z.string(),
  siteId: z.string().nullable(),
  at: z.string(),
  status: z.enum(['open', 'acknowledged']),
  acknowledgedBy: z.string().nullable(),
});
const staff = ['trainer', 'admin'] as const;

/** "Demander de l'aide": trainees raise a hand, trainers see the queue and say they are coming. */
const helpRequestRoutes: FastifyPluginAsyncZod = async (app) => {
  const help = new HelpRequests(app.redis, app.config.REDIS_PREFIX, app.realtime);
  const session = (p: Principal | null | undefined): SessionPrincipal => {
    if (p?.kind !== 'session') throw forbidden();
    return p;
  };

  app.post('/help-requests', {
    config: { access: { roles: ['trainee'] } },
    schema: { tags: ['help'], summary: 'Demander de l’aide à un formateur', response: { 200: helpView } },
    handler: async (request) => {
      const p = session(request.principal);
      const before = await help.get(p.userId);
      const raised = await help.raise({ userId: p.userId, displayName: p.displayName, siteId: p.siteId });
      if (!before) await app.audit.record(actorOf(p, request.ip), { action: 'help.request', targetType: 'user', targetId: p.userId, details: {} });
      return viewOf(raised);
    },
  });

  app.get('/help-requests/mine', {
    config: { access: { roles: ['trainee'] } },
    schema: { tags: ['help'], summary: 'Ma demande d’aide en cours', response: { 200: helpView } },
    handler: async (request) => viewOf(await help.get(session(request.principal).userId)),
  });

  app.delete('/help-requests/mine', {
    config: { access: { roles: ['trainee'] } },
    schema: { tags: ['help'], summary: 'Annuler ma demande d’aide', response: { 200: helpView } },
    handler: async (request) => {
      await help.close(session(request.principal).userId);
      return viewOf(null);
    },
  });

  app.get('/help-requests', {
    config: { access: { roles: [...staff] } },
    schema: { tags: ['help'], summary: 'Demandes d’aide en cours (plus ancienne d’abord)', response: { 200: z.object({ items: z.array(helpRequest) }) } },
    handler: async (request) => {
      const p = session(request.principal);
      const items = await help.list();
      // Trainers see their own site's room; admins see every site.
      return { items: p.role === 'admin' || !p.siteId ? items : items.filter((r) => r.siteId === p.siteId) };
    },
  });

  app.post('/help-requests/:userId/acknowledge', {
    config: { access: { roles: [...staff] } },
    schema: { tags: ['help'], summary: 'Prendre en charge une demande d’aide (le conseiller voit qu’on arrive)', params: z.object({ userId: z.uuid() }), response: { 200: helpRequest } },
    handler: async (request) => {
      const p = session(request.principal);
      const acknowledged = await help.acknowledge(request.params.userId, p.displayName);
      if (!acknowledged) throw notFound('Demande d’aide');
      return acknowledged;
    },
  });

  app.post('/help-requests/:userId/close', {
    config: { access: { roles: [...staff] } },
    schema: { tags: ['help'], summary: 'Clore une demande d’aide', params: z.object({ userId: z.uuid() }), response: { 204: z.null() } },
    handler: async (request, reply) => {
      session(request.principal);
      if (!(await help.close(request.params.userId))) throw notFound('Demande d’aide');
      return reply.status(204).send(null);
    },
  });
};

export default helpRequestRoutes;
