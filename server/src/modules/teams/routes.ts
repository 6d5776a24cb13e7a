import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffRoles } from '@passerelle/shared/roles';
import { createTeamBody, listTeamsQuery, listTeamsReply, renameTeamBody, setTeamMembersBody, team, teamIdParams } from '@passerelle/shared/api/admin';
import { actorOf } from '../../lib/principal.ts';
import { listTeams, TeamsService } from './service.ts';

const adminOnly = { access: { roles: ['admin'] as const } };

/** Groupes de formation: read by trainers (floor and matrix filters), managed by admins. */
const teamsRoutes: FastifyPluginAsyncZod = async (app) => {
  const service = new TeamsService(app.db, app.audit);

  app.get('/teams', {
    config: { access: { roles: staffRoles } },
    schema: { tags: ['teams'], summary: 'Groupes de formation et leurs conseillers', querystring: listTeamsQuery, response: { 200: listTeamsReply } },
    handler: async (request) => ({ items: await listTeams(app.db, request.query.siteId) }),
  });

  app.post('/admin/teams', {
    config: adminOnly,
    schema: { tags: ['teams'], summary: 'Créer un groupe de formation', body: createTeamBody, response: { 201: team } },
    handler: async (request, reply) => reply.status(201).send(await service.create(actorOf(request.principal, request.ip), request.body)),
  });

  app.patch('/admin/teams/:id', {
    config: adminOnly,
    schema: { tags: ['teams'], summary: 'Renommer un groupe de formation', params: teamIdParams, body: renameTeamBody, response: { 200: team } },
    handler: async (request) => service.rename(actorOf(request.principal, request.ip), request.params.id, request.body.name),
  });

  app.put('/admin/teams/:id/trainees', {
    config: adminOnly,
    schema: { tags: ['teams'], summary: 'Conseillers d’un groupe (liste complète)', params: teamIdParams, body: setTeamMembersBody, response: { 200: team } },
    handler: async (request) => service.setMembers(actorOf(request.principal, request.ip), request.params.id, request.body.traineeIds),
  });

  app.delete('/admin/teams/:id', {
    config: adminOnly,
    schema: { tags: ['teams'], summary: 'Supprimer un groupe (ses conseillers restent, sans groupe)', params: teamIdParams, response: { 204: z.null() } },
    handler: async (request, reply) => {
      await service.remove(actorOf(request.principal, request.ip), request.params.id);
      return reply.status(204).send(null);
    },
  });
};

export default teamsRoutes;
