import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  apiKeyIdParams,
  apiKeyParams,
  createApiKeyBody,
  createApiKeyReply,
  createPartnerBody,
  listApiKeysReply,
  listPartnerChoicesReply,
  listPartnersReply,
  partner,
  partnerIdParams,
  partnerMeReply,
  updatePartnerBody,
} from '@passerelle/shared/api/admin';
import { assertPartnerAccess, partnerScope } from '../../plugins/auth.ts';
import { actorOf } from '../../lib/principal.ts';
import { PartnersRepository } from './repository.ts';
import { PartnersService } from './service.ts';

const adminOnly = { access: { roles: ['admin'] as const } };
/** Key management: admins, and a partner's own users (not its API keys: a key cannot mint keys). */
const keyManagers = { access: { roles: ['admin', 'partner'] as const } };

const partnersRoutes: FastifyPluginAsyncZod = async (app) => {
  const service = new PartnersService(app.db, new PartnersRepository(app.db), app.audit);

  // Scope before body validation, so another partner's id answers 404 whatever the body.
  app.addHook('preValidation', async (request) => {
    const { partnerId } = request.params as { partnerId?: string };
    if (partnerId !== undefined) assertPartnerAccess(request.principal, partnerId, 'Partenaire');
  });

  app.get('/admin/partners', {
    config: adminOnly,
    schema: { tags: ['admin'], summary: 'Liste des partenaires', response: { 200: listPartnersReply } },
    handler: async () => ({ items: await service.list() }),
  });

  // Read-only and minimal: trainers pick the partner of a new campaign.
  app.get('/partners', {
    config: { access: { roles: ['admin', 'trainer'] } },
    schema: { tags: ['campaigns'], summary: 'Partenaires à choisir pour une campagne (identifiant, nom, actif)', response: { 200: listPartnerChoicesReply } },
    handler: async () => ({ items: (await service.list()).map(({ id, name, active }) => ({ id, name, active })) }),
  });

  app.post('/admin/partners', {
    config: adminOnly,
    schema: { tags: ['admin'], summary: 'Créer un partenaire', body: createPartnerBody, response: { 201: partner } },
    handler: async (request, reply) => reply.status(201).send(await service.create(actorOf(request.principal, request.ip), request.body)),
  });

  app.patch('/admin/partners/:id', {
    config: adminOnly,
    schema: { tags: ['admin'], summary: 'Modifier ou désactiver un partenaire', params: partnerIdParams, body: updatePartnerBody, response: { 200: partner } },
    handler: async (request) => service.update(actorOf(request.principal, request.ip), request.params.id, request.body),
  });

  app.get('/partners/:partnerId/api-keys', {
    config: keyManagers,
    schema: { tags: ['partner'], summary: 'Clés d’API d’un partenaire', params: apiKeyParams, response: { 200: listApiKeysReply } },
    handler: async (request) => ({ items: await service.listKeys(request.params.partnerId) }),
  });

  app.post('/partners/:partnerId/api-keys', {
    config: keyManagers,
    schema: {
      tags: ['partner'],
      summary: 'Créer une clé d’API (affichée une seule fois)',
      params: apiKeyParams,
      body: createApiKeyBody,
      response: { 201: createApiKeyReply },
    },
    handler: async (request, reply) => {
      const created = await service.createKey(actorOf(request.principal, request.ip), request.params.partnerId, request.body.name);
      return reply.status(201).send(created);
    },
  });

  app.delete('/partners/:partnerId/api-keys/:keyId', {
    config: keyManagers,
    schema: { tags: ['partner'], summary: 'Révoquer une clé d’API', params: apiKeyIdParams, response: { 204: z.null() } },
    handler: async (request, reply) => {
      await service.revokeKey(actorOf(request.principal, request.ip), request.params.partnerId, request.params.keyId);
      return reply.status(204).send(null);
    },
  });

  app.get('/partner/me', {
    config: { access: { roles: ['partner'], apiKey: true } },
    schema: { tags: ['partner'], summary: 'Le partenaire appelant (session ou clé d’API)', response: { 200: partnerMeReply } },
    handler: async (request) => {
      const partnerId = partnerScope(request.principal)!;
      const p = await service.get(partnerId);
      return { partnerId, name: p.name, via: request.principal!.kind };
    },
  });
};

export default partnersRoutes;
