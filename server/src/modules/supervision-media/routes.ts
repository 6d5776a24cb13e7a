import '../telephony/context.ts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { forbidden, notFound } from '../../lib/errors.ts';
import { actorOf, type Principal } from '../../lib/principal.ts';
import type { Supervisor } from './service.ts';

const staff = ['admin', 'trainer'] as const;
const params = z.object({ attemptId: z.uuid() });
const sessionParams = z.object({ sessionId: z.uuid() });
const socketId = z.string().min(1).max(64);

const supervisorOf = (p: Principal | null | undefined, ip: string): Supervisor => {
  if (p?.kind !== 'session') throw forbidden();
  return { userId: p.userId, displayName: p.displayName, role: p.role, ip };
};

/**
 * Supervisor media actions on a live call: listen, whisper (WebRTC via rtpengine) and hang up.
 * Listen and whisper are sessions bound to the trainer's /supervisor socket (`socketId`): they end
 * with it, with the call, or on DELETE /supervision/sessions/:id. Start and end are audited.
 */
const supervisionMediaRoutes: FastifyPluginAsyncZod = async (app) => {
  const { media } = app.supervision;
  const sdpBody = z.object({ sdp: z.string().max(20_000) });

  app.post('/supervision/calls/:attemptId/listen', {
    config: { access: { roles: staff } },
    schema: {
      tags: ['supervision'],
      summary: 'Écoute discrète : offres SDP (une par participant) à accepter par le navigateur',
      params,
      body: z.object({ socketId }),
      response: {
        200: z.object({
          sessionId: z.uuid(),
          offers: z.array(z.object({ participant: z.enum(['agent', 'customer']), subscriptionTag: z.string(), sdp: z.string() })),
        }),
      },
    },
    handler: async (request) => media.listen(request.params.attemptId, supervisorOf(request.principal, request.ip), request.body.socketId),
  });

  app.post('/supervision/sessions/:sessionId/answer', {
    config: { access: { roles: staff } },
    schema: {
      tags: ['supervision'],
      summary: 'Réponse SDP du navigateur pour une de ses offres d’écoute',
      params: sessionParams,
      body: z.object({ subscriptionTag: z.string().max(128), sdp: z.string().max(20_000) }),
      response: { 204: z.null() },
    },
    handler: async (request, reply) => {
      await media.answer(request.params.sessionId, request.principal!.userId!, request.body.subscriptionTag, request.body.sdp);
      return reply.status(204).send(null);
    },
  });

  app.delete('/supervision/sessions/:sessionId', {
    config: { access: { roles: staff } },
    schema: { tags: ['supervision'], summary: 'Fin d’une écoute ou d’un chuchotement (audité avec sa durée)', params: sessionParams, response: { 204: z.null() } },
    handler: async (request, reply) => {
      await media.stop(request.params.sessionId, request.principal!.userId!, request.ip);
      return reply.status(204).send(null);
    },
  });

  app.post('/supervision/calls/:attemptId/whisper', {
    config: { access: { roles: staff } },
    schema: {
      tags: ['supervision'],
      summary: 'Chuchotement : publie le micro du formateur dans l’appel (entendu du seul conseiller, prévenu aussitôt)',
      params,
      body: sdpBody.extend({ socketId }),
      response: { 200: z.object({ sessionId: z.uuid(), sdp: z.string() }) },
    },
    handler: async (request) => media.whisper(request.params.attemptId, supervisorOf(request.principal, request.ip), request.body.socketId, request.body.sdp),
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
      const { attemptId } = request.params;
      const done = await app.telephony.service.hangup(attemptId, p.userId!, (agentUserId) => app.realtime.toAgent(agentUserId, 'supervision:hangup', { attemptId }));
      if (!done) throw notFound('Appel en cours');
      await app.audit.record(actorOf(p, request.ip), {
        action: 'supervision.hangup',
        targetType: 'call_attempt',
        targetId: attemptId,
      });
      return reply.status(204).send(null);
    },
  });
};

export default supervisionMediaRoutes;
