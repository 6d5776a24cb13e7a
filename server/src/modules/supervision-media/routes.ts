import '../telephony/context.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../lib/errors.ts';
import { actorOf } from '../../lib/principal.ts';
import { SupervisionMedia } from './service.ts';

const staff = ['admin', 'trainer'] as const;
const params = z.object({ attemptId: z.uuid() });

/** Supervisor media actions on a live call: listen, whisper (WebRTC via rtpengine) and hang up. Audited. */
const supervisionMediaRoutes: FastifyPluginAsyncZod = async (app) => {
  const media = new SupervisionMedia(app.telephony.calls, app.telephony.ng, app.redis, app.config.REDIS_PREFIX);
  const sdpBody = z.object({ sdp: z.string().max(20_000) });

  app.post('/supervision/calls/:attemptId/listen', {
    config: { access: { roles: staff } },
    schema: {
      tags: ['supervision'],
      summary: 'Écoute discrète : offres SDP (une par participant) à accepter par le navigateur',
      params,
      response: {
        200: z.object({
          offers: z.array(z.object({ participant: z.enum(['agent', 'customer']), subscriptionTag: z.string(), sdp: z.string() })),
        }),
      },
    },
    handler: async (request) => {
      const { offers } = await media.listen(request.params.attemptId);
      await app.audit.record(actorOf(request.principal, request.ip), {
        action: 'supervision.listen',
        targetType: 'call_attempt',
        targetId: request.params.attemptId,
      });
      return { offers };
    },
  });

  app.post('/supervision/calls/:attemptId/listen/answer', {
    config: { access: { roles: staff } },
    schema: {
      tags: ['supervision'],
      summary: 'Réponse SDP du navigateur pour une écoute',
      params,
      body: z.object({ subscriptionTag: z.string().max(128), sdp: z.string().max(20_000) }),
      response: { 204: z.null() },
    },
    handler: async (request, reply) => {
      await media.answer(request.params.attemptId, request.body.subscriptionTag, request.body.sdp);
      return reply.status(204).send(null);
    },
  });

  app.delete('/supervision/calls/:attemptId/listen/:subscriptionTag', {
    config: { access: { roles: staff } },
    schema: {
      tags: ['supervision'],
      summary: 'Fin d’une écoute',
      params: params.extend({ subscriptionTag: z.string().max(128) }),
      response: { 204: z.null() },
    },
    handler: async (request, reply) => {
      await media.stop(request.params.attemptId, request.params.subscriptionTag);
      await app.audit.record(actorOf(request.principal, request.ip), {
        action: 'supervision.listen_stop',
        targetType: 'call_attempt',
        targetId: request.params.attemptId,
      });
      return reply.status(204).send(null);
    },
  });

  app.post('/supervision/calls/:attemptId/whisper', {
    config: { access: { roles: staff } },
    schema: {
      tags: ['supervision'],
      summary: 'Chuchotement : publie le micro du formateur dans l’appel (entendu du seul conseiller)',
      params,
      body: sdpBody,
      response: { 200: z.object({ sdp: z.string(), whisperTag: z.string() }) },
    },
    handler: async (request) => {
      const out = await media.whisper(request.params.attemptId, request.body.sdp);
      await app.audit.record(actorOf(request.principal, request.ip), {
        action: 'supervision.whisper',
        targetType: 'call_attempt',
        targetId: request.params.attemptId,
      });
      return out;
    },
  });

  app.delete('/supervision/calls/:attemptId/whisper', {
    config: { access: { roles: staff } },
    schema: { tags: ['supervision'], summary: 'Fin du chuchotement', params, response: { 204: z.null() } },
    handler: async (request, reply) => {
      await media.stopWhisper(request.params.attemptId);
      await app.audit.record(actorOf(request.principal, request.ip), {
        action: 'supervision.whisper_stop',
        targetType: 'call_attempt',
        targetId: request.params.attemptId,
      });
      return reply.status(204).send(null);
    },
  });

  // The trainee's side of a whisper: receive the trainer's voice for its own call in progress.
  app.post('/telephony/whisper', {
    config: { access: { roles: ['trainee'] } },
    schema: {
      tags: ['telephony'],
      summary: 'Conseiller : offre SDP pour entendre le formateur (chuchotement en cours)',
      response: { 200: z.object({ subscriptionTag: z.string(), sdp: z.string() }) },
    },
    handler: async (request) => {
      const feed = await media.whisperFeed(request.principal!.userId!);
      if (!feed) throw notFound('Chuchotement');
      return feed;
    },
  });

  app.post('/telephony/whisper/answer', {
    config: { access: { roles: ['trainee'] } },
    schema: {
      tags: ['telephony'],
      summary: 'Conseiller : réponse SDP pour le chuchotement',
      body: sdpBody.extend({ subscriptionTag: z.string().max(128) }),
      response: { 204: z.null() },
    },
    handler: async (request, reply) => {
      await media.whisperAnswer(request.principal!.userId!, request.body.subscriptionTag, request.body.sdp);
      return reply.status(204).send(null);
    },
  });

  app.post('/supervision/calls/:attemptId/hangup', {
    config: { access: { roles: staff } },
    schema: {
      tags: ['supervision'],
      summary: 'Raccrocher immédiatement un appel en cours',
      params,
      response: { 204: z.null() },
    },
    handler: async (request, reply) => {
      const p = request.principal!;
      const done = await app.telephony.service.hangup(request.params.attemptId, p.userId!);
      if (!done) throw notFound('Appel en cours');
      await app.audit.record(actorOf(p, request.ip), {
        action: 'supervision.hangup',
        targetType: 'call_attempt',
        targetId: request.params.attemptId,
      });
      return reply.status(204).send(null);
    },
  });
};

export default supervisionMediaRoutes;
