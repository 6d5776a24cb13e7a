import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { campaignParams } from '@passerelle/shared/api/campaigns';
import { conflict, notFound } from '../../lib/errors.ts';
import { actorOf } from '../../lib/principal.ts';
import { purgeCampaign } from './purge.ts';
import { retentionWorker } from './worker.ts';

/** Retention: the scheduled sweep, and an admin's early purge (e.g. the partner's contract ended). */
const retentionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.workers.register(retentionWorker);

  app.post('/campaigns/:id/purge', {
    config: { access: { roles: ['admin'] } },
    schema: {
      tags: ['campaigns'],
      summary: 'Purger une campagne maintenant (destruction de la clé et des contacts ; motif journalisé)',
      params: campaignParams,
      body: z.object({ reason: z.string().trim().min(5, 'motif requis (5 caractères minimum)').max(500) }),
      response: { 204: z.null() },
    },
    handler: async (request, reply) => {
      const exists = await app.db.selectFrom('campaigns').select(['id', 'status']).where('id', '=', request.params.id).executeTakeFirst();
      if (!exists) throw notFound('Campagne');
      if (exists.status === 'running') throw conflict('CAMPAIGN_RUNNING', 'Mettez la campagne en pause ou terminez-la avant de la purger.');
      const done = await purgeCampaign(app, exists.id, { actor: actorOf(request.principal, request.ip), reason: request.body.reason });
      if (!done) throw conflict('CAMPAIGN_PURGED', 'Cette campagne est déjà purgée.');
      return reply.status(204).send(null);
    },
  });
};

export default retentionRoutes;
