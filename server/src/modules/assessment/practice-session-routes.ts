import { z } from 'zod';
import type { Assessment } from './service.ts';
import { PracticeSessions } from './practice-session.ts';
import { idParams, practiceCallReply, practiceInvitation, practiceInviteBody } from './schemas.ts';
import { staff, traineeOnly, userActor, type ZodApp } from './http.ts';
import { siteScope } from './scope.ts';

/**
 * Live practice calls: the trainer starts, follows and may withdraw one; the trainee sees its
 * invitation (also pushed as `practice:invite` on /agent), accepts it (gets the practice token
 * its softphone dials) or declines it.
 */
export function practiceSessionRoutes(app: ZodApp, a: Assessment): void {
  const sessions = new PracticeSessions(app);

  app.post('/assessment/practice-calls/live', {
    config: { access: staff },
    schema: { tags: ['assessment'], summary: 'Lancer une mise en situation en direct (le formateur joue le client depuis son navigateur)', body: practiceInviteBody, response: { 201: practiceCallReply } },
    handler: async (request, reply) => {
      const id = await sessions.invite(userActor(request), request.body, siteScope(request));
      return reply.status(201).send(await a.practice.get(id));
    },
  });

  app.get('/assessment/practice-calls/:id', {
    config: { access: staff },
    schema: { tags: ['assessment'], summary: 'Une mise en situation (état de l’appel en direct)', params: idParams, response: { 200: practiceCallReply } },
    handler: async (request) => {
      await sessions.expireStale();
      return a.practice.get(request.params.id, siteScope(request));
    },
  });

  app.post('/assessment/practice-calls/:id/cancel', {
    config: { access: staff },
    schema: { tags: ['assessment'], summary: 'Retirer une invitation pas encore appelée', params: idParams, response: { 200: practiceCallReply } },
    handler: async (request) => {
      await sessions.cancel(userActor(request), request.params.id);
      return a.practice.get(request.params.id);
    },
  });

  app.get('/me/practice', {
    config: { access: traineeOnly },
    schema: { tags: ['assessment'], summary: 'Mon invitation à une mise en situation, s’il y en a une', response: { 200: z.object({ invitation: practiceInvitation.nullable() }) } },
    handler: async (request) => ({ invitation: await sessions.invitationFor(userActor(request).userId) }),
  });

  app.post('/me/practice/:id/accept', {
    config: { access: traineeOnly },
    schema: {
      tags: ['assessment'],
      summary: 'Accepter la mise en situation : jeton d’appel à usage unique (vers le formateur, jamais un numéro)',
      params: idParams,
      response: { 200: z.object({ token: z.string(), expiresAt: z.string() }) },
    },
    handler: async (request) => sessions.accept(userActor(request), request.params.id),
  });

  app.post('/me/practice/:id/decline', {
    config: { access: traineeOnly },
    schema: { tags: ['assessment'], summary: 'Refuser la mise en situation', params: idParams, response: { 204: z.null() } },
    handler: async (request, reply) => {
      await sessions.decline(userActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  });
}
