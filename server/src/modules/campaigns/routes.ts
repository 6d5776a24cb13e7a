import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { staffRoles } from '@passerelle/shared/roles';
import {
  campaignParams,
  campaignSummary,
  createCampaignBody,
  listCampaignsQuery,
  listCampaignsReply,
  updateCampaignBody,
} from '@passerelle/shared/api/campaigns';
import { resultsRoutes } from './results-routes.ts';
import { CampaignService, toCampaignSummary } from './service.ts';

const readers = { roles: [...staffRoles, 'partner'] as const, apiKey: true };
const editors = { roles: staffRoles };

/** Campaign shell: partners see their own campaigns; staff create and edit them. */
const campaignRoutes: FastifyPluginAsyncZod = async (app) => {
  const campaigns = new CampaignService(app.db, app.vault, app.audit);

  app.get('/campaigns', {
    config: { access: readers },
    schema: { tags: ['campaigns'], summary: 'Campagnes (un partenaire ne voit que les siennes)', querystring: listCampaignsQuery, response: { 200: listCampaignsReply } },
    handler: async (request) => ({ items: await campaigns.list(request.principal, request.query) }),
  });

  app.get('/campaigns/:id', {
    config: { access: readers },
    schema: { tags: ['campaigns'], summary: 'Une campagne', params: campaignParams, response: { 200: campaignSummary } },
    handler: async (request) => toCampaignSummary(await campaigns.get(request.principal, request.params.id)),
  });

  app.post('/campaigns', {
    config: { access: editors },
    schema: { tags: ['campaigns'], summary: 'Créer une campagne pour un partenaire', body: createCampaignBody, response: { 201: campaignSummary } },
    handler: async (request, reply) => reply.status(201).send(await campaigns.create(request.principal, request.ip, request.body)),
  });

  app.patch('/campaigns/:id', {
    config: { access: editors },
    schema: { tags: ['campaigns'], summary: 'Modifier une campagne', params: campaignParams, body: updateCampaignBody, response: { 200: campaignSummary } },
    handler: async (request) => campaigns.update(request.principal, request.ip, request.params.id, request.body),
  });

  await app.register(resultsRoutes(campaigns));
};

export default campaignRoutes;
