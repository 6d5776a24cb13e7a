import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createSiteBody,
  createWorkstationBody,
  listSitesReply,
  listWorkstationsQuery,
  listWorkstationsReply,
  site,
  updateWorkstationBody,
  workstation,
  workstationIdParams,
} from '@passerelle/shared/api/admin';
import { actorOf } from '../../lib/principal.ts';
import { SitesRepository } from './repository.ts';
import { SitesService } from './service.ts';

const adminOnly = { access: { roles: ['admin'] as const } };

const sitesRoutes: FastifyPluginAsyncZod = async (app) => {
  const service = new SitesService(app.db, new SitesRepository(app.db), app.audit);

  app.get('/admin/sites', {
    config: adminOnly,
    schema: { tags: ['admin'], summary: 'Liste des sites', response: { 200: listSitesReply } },
    handler: async () => ({ items: await service.listSites() }),
  });

  app.post('/admin/sites', {
    config: adminOnly,
    schema: { tags: ['admin'], summary: 'Créer un site', body: createSiteBody, response: { 201: site } },
    handler: async (request, reply) => reply.status(201).send(await service.createSite(actorOf(request.principal, request.ip), request.body)),
  });

  app.get('/admin/workstations', {
    config: adminOnly,
    schema: { tags: ['admin'], summary: 'Liste des postes', querystring: listWorkstationsQuery, response: { 200: listWorkstationsReply } },
    handler: async (request) => ({ items: await service.listWorkstations(request.query.siteId) }),
  });

  app.post('/admin/workstations', {
    config: adminOnly,
    schema: { tags: ['admin'], summary: 'Créer un poste (plages IP autorisées)', body: createWorkstationBody, response: { 201: workstation } },
    handler: async (request, reply) =>
      reply.status(201).send(await service.createWorkstation(actorOf(request.principal, request.ip), request.body)),
  });

  app.patch('/admin/workstations/:id', {
    config: adminOnly,
    schema: { tags: ['admin'], summary: 'Modifier un poste', params: workstationIdParams, body: updateWorkstationBody, response: { 200: workstation } },
    handler: async (request) => service.updateWorkstation(actorOf(request.principal, request.ip), request.params.id, request.body),
  });

  app.delete('/admin/workstations/:id', {
    config: adminOnly,
    schema: { tags: ['admin'], summary: 'Supprimer un poste', params: workstationIdParams, response: { 204: z.null() } },
    handler: async (request, reply) => {
      await service.deleteWorkstation(actorOf(request.principal, request.ip), request.params.id);
      return reply.status(204).send(null);
    },
  });
};

export default sitesRoutes;
