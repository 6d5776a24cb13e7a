import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { staffRoles } from '@passerelle/shared/roles';
import { campaignParams } from '@passerelle/shared/api/campaigns';
import {
  assignTraineesBody,
  campaignEngine,
  campaignTransitionBody,
  createSlotsBody,
  slotsReply,
  updateDialerSettingsBody,
} from '@passerelle/shared/api/campaign-engine';
import { actorOf } from '../../lib/principal.ts';
import { CampaignEngineService } from './service.ts';

const staff = { roles: staffRoles };
const tags = ['campaign-engine'];

/** Dialing settings, status machine, trainees and slots of a campaign (trainers and admins). */
const campaignEngineRoutes: FastifyPluginAsyncZod = async (app) => {
  const engine = new CampaignEngineService(app.db, app.audit, app.dialer);

  app.get('/campaigns/:id/dialing', {
    config: { access: staff },
    schema: { tags, summary: 'Réglages de numérotation, statut et conseillers', params: campaignParams, response: { 200: campaignEngine } },
    handler: async (request) => engine.view(request.params.id),
  });

  app.patch('/campaigns/:id/dialing', {
    config: { access: staff },
    schema: { tags, summary: 'Modifier les réglages (plages jamais plus larges que la loi)', params: campaignParams, body: updateDialerSettingsBody, response: { 200: campaignEngine } },
    handler: async (request) => engine.updateSettings(actorOf(request.principal, request.ip), request.params.id, request.body),
  });

  app.post('/campaigns/:id/transition', {
    config: { access: staff },
    schema: { tags, summary: 'Changer le statut (brouillon → prête → en cours ⇄ en pause → terminée → archivée)', params: campaignParams, body: campaignTransitionBody, response: { 200: campaignEngine } },
    handler: async (request) => engine.transition(actorOf(request.principal, request.ip), request.params.id, request.body.to, request.body.reason),
  });

  app.put('/campaigns/:id/trainees', {
    config: { access: staff },
    schema: { tags, summary: 'Conseillers affectés à la campagne', params: campaignParams, body: assignTraineesBody, response: { 200: campaignEngine } },
    handler: async (request) => engine.assignTrainees(actorOf(request.principal, request.ip), request.params.id, request.body.traineeIds),
  });

  app.get('/campaigns/:id/slots', {
    config: { access: staff },
    schema: { tags, summary: 'Créneaux de rendez-vous à venir du partenaire', params: campaignParams, response: { 200: slotsReply } },
    handler: async (request) => ({ items: await engine.slots(request.params.id) }),
  });

  app.post('/campaigns/:id/slots', {
    config: { access: staff },
    schema: { tags, summary: 'Ajouter des créneaux de rendez-vous', params: campaignParams, body: createSlotsBody, response: { 201: slotsReply } },
    handler: async (request, reply) => reply.status(201).send({ items: await engine.addSlots(actorOf(request.principal, request.ip), request.params.id, request.body) }),
  });
};

export default campaignEngineRoutes;
