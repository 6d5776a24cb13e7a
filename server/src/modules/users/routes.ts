import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  adminUser,
  createUserBody,
  listTraineesQuery,
  listTraineesReply,
  listUsersQuery,
  listUsersReply,
  updateUserBody,
  userIdParams,
} from '@passerelle/shared/api/admin';
import { actorOf } from '../../lib/principal.ts';
import { UsersRepository } from './repository.ts';
import { UsersService } from './service.ts';

const adminOnly = { access: { roles: ['admin'] as const } };

const usersRoutes: FastifyPluginAsyncZod = async (app) => {
  const service = new UsersService(app.db, new UsersRepository(app.db), app.audit);

  app.get('/admin/users', {
    config: adminOnly,
    schema: { tags: ['admin'], summary: 'Liste des utilisateurs', querystring: listUsersQuery, response: { 200: listUsersReply } },
    handler: async (request) => ({ items: await service.list(request.query) }),
  });

  app.post('/admin/users', {
    config: adminOnly,
    schema: { tags: ['admin'], summary: 'Créer un utilisateur', body: createUserBody, response: { 201: adminUser } },
    handler: async (request, reply) => {
      const user = await service.create(actorOf(request.principal, request.ip), request.body);
      return reply.status(201).send(user);
    },
  });

  app.patch('/admin/users/:id', {
    config: adminOnly,
    schema: {
      tags: ['admin'],
      summary: 'Modifier un utilisateur (rôle, activation, site, partenaire, langues, mot de passe)',
      params: userIdParams,
      body: updateUserBody,
      response: { 200: adminUser },
    },
    handler: async (request) => {
      const actor = actorOf(request.principal, request.ip);
      const { user, lostAccess, wasTrainee } = await service.update(actor, request.params.id, request.body);
      if (lostAccess) {
        // Off the floor at once (its working time stops) and every open console or page closed.
        if (wasTrainee) await app.dialer.logout(user.id, 'force_logout', actor);
        app.realtime.disconnectUser(user.id);
      }
      return user;
    },
  });

  app.get('/trainees', {
    config: { access: { roles: ['admin', 'trainer'] } },
    schema: { tags: ['users'], summary: 'Stagiaires (champs pseudonymes uniquement)', querystring: listTraineesQuery, response: { 200: listTraineesReply } },
    handler: async (request) => {
      // A trainer attached to a site follows that site's trainees only.
      const p = request.principal;
      const ownSite = p?.kind === 'session' && p.role === 'trainer' ? p.siteId : null;
      return { items: await service.listTrainees(ownSite ?? request.query.siteId) };
    },
  });
};

export default usersRoutes;
