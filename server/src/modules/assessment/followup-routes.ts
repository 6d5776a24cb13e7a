import { z } from 'zod';
import { answersSchema, calibrationBody, calibrationReply, idParams, matrixReply, practiceCallBody, practiceCallPatch, practiceCallReply, progressQuery, progressReply, reminderReply, reviewBody, reviewReply, scenarioCard, traineeParams } from './schemas.ts';
import { scenarioCards } from './practice.ts';
import type { Assessment } from './service.ts';
import { staff, userActor, type ZodApp } from './http.ts';
import { assertTraineeInScope, siteScope } from './scope.ts';

/** Trainers' follow-up: progress, matrix, reviews, calibration, practice calls. */
export function followUpRoutes(app: ZodApp, a: Assessment): void {
  app.get('/assessment/trainees/:traineeId/progress', {
    config: { access: staff },
    schema: {
      tags: ['assessment'],
      summary: 'Progression d’un stagiaire par compétence (période, type de campagne)',
      params: traineeParams,
      querystring: progressQuery.extend({ scorecardId: z.uuid().optional() }),
      response: { 200: progressReply },
    },
    handler: async (request) => {
      const { scorecardId, ...filter } = request.query;
      await assertTraineeInScope(app.db, siteScope(request), request.params.traineeId);
      const p = await a.progress.trainee(request.params.traineeId, filter, scorecardId);
      await app.audit.record(userActor(request), { action: 'progress.view', targetType: 'user', targetId: p.traineeId, details: { evaluated: p.evaluated } });
      return p;
    },
  });

  app.get('/assessment/progress/matrix', {
    config: { access: staff },
    schema: {
      tags: ['assessment'],
      summary: 'Matrice stagiaires × compétences (moyennes sur la période)',
      querystring: progressQuery.extend({ siteId: z.uuid().optional(), scorecardId: z.uuid().optional() }),
      response: { 200: matrixReply },
    },
    handler: async (request) => {
      const { siteId, scorecardId, ...filter } = request.query;
      return a.progress.matrix(filter, siteScope(request) ?? siteId, scorecardId);
    },
  });

  app.get('/assessment/trainees/:traineeId/reviews', {
    config: { access: staff },
    schema: { tags: ['assessment'], summary: 'Bilans d’un stagiaire', params: traineeParams, response: { 200: z.object({ reviews: z.array(reviewReply) }) } },
    handler: async (request) => {
      await assertTraineeInScope(app.db, siteScope(request), request.params.traineeId);
      return { reviews: await a.reviews.listFor(request.params.traineeId) };
    },
  });

  app.post('/assessment/reviews', {
    config: { access: staff },
    schema: { tags: ['assessment'], summary: 'Enregistrer un bilan (initial, de suivi, final)', body: reviewBody, response: { 201: reviewReply } },
    handler: async (request, reply) => {
      await assertTraineeInScope(app.db, siteScope(request), request.body.traineeId);
      return reply.status(201).send(await a.reviews.create(userActor(request), request.body));
    },
  });

  app.get('/assessment/reviews/reminders', {
    config: { access: staff },
    schema: { tags: ['assessment'], summary: 'Bilans à prévoir (en retard, dans les 14 jours, jamais faits)', response: { 200: reminderReply } },
    handler: async (request) => ({ reminders: await a.reviews.reminders(siteScope(request)) }),
  });

  app.get('/assessment/reviews/:id', {
    config: { access: staff },
    schema: { tags: ['assessment'], summary: 'Un bilan (consultation journalisée)', params: idParams, response: { 200: reviewReply } },
    handler: async (request) => {
      const r = await a.reviews.get(request.params.id);
      await assertTraineeInScope(app.db, siteScope(request), r.traineeId);
      await app.audit.record(userActor(request), { action: 'review.view', targetType: 'review', targetId: r.id, details: { traineeId: r.traineeId } });
      return r;
    },
  });

  app.get('/assessment/calibrations', {
    config: { access: staff },
    schema: {
      tags: ['assessment'],
      summary: 'Séances de calibrage',
      response: { 200: z.object({ sessions: z.array(z.object({ id: z.uuid(), title: z.string(), status: z.enum(['open', 'closed']), traineeId: z.uuid(), createdAt: z.date(), closedAt: z.date().nullable(), submitted: z.number() })) }) },
    },
    handler: async (request) => ({ sessions: await a.calibrations.list(siteScope(request)) }),
  });

  app.post('/assessment/calibrations', {
    config: { access: staff },
    schema: { tags: ['assessment'], summary: 'Ouvrir une séance de calibrage sur un appel', body: calibrationBody, response: { 201: calibrationReply } },
    handler: async (request, reply) => {
      const actor = userActor(request);
      const id = await a.calibrations.create(actor, request.body, siteScope(request));
      return reply.status(201).send(await a.calibrations.view(actor, id, siteScope(request)));
    },
  });

  app.get('/assessment/calibrations/:id', {
    config: { access: staff },
    schema: { tags: ['assessment'], summary: 'Séance de calibrage (notes des autres visibles après avoir soumis la sienne)', params: idParams, response: { 200: calibrationReply } },
    handler: async (request) => a.calibrations.view(userActor(request), request.params.id, siteScope(request)),
  });

  app.post('/assessment/calibrations/:id/join', {
    config: { access: staff },
    schema: { tags: ['assessment'], summary: 'Ma notation dans la séance (brouillon créé au besoin)', params: idParams, response: { 200: z.object({ evaluationId: z.uuid() }) } },
    handler: async (request) => ({ evaluationId: await a.calibrations.join(userActor(request), request.params.id, siteScope(request)) }),
  });

  app.post('/assessment/calibrations/:id/close', {
    config: { access: staff },
    schema: { tags: ['assessment'], summary: 'Enregistrer la note de référence convenue et clore', params: idParams, body: z.object({ answers: answersSchema }), response: { 200: calibrationReply } },
    handler: async (request) => {
      const actor = userActor(request);
      await a.calibrations.close(actor, request.params.id, request.body.answers);
      return a.calibrations.view(actor, request.params.id, siteScope(request));
    },
  });

  app.get('/assessment/scenarios', {
    config: { access: staff },
    schema: { tags: ['assessment'], summary: 'Fiches scénario des mises en situation', response: { 200: z.object({ scenarios: z.array(scenarioCard) }) } },
    handler: async () => ({ scenarios: scenarioCards }),
  });

  app.get('/assessment/practice-calls', {
    config: { access: staff },
    schema: { tags: ['assessment'], summary: 'Mises en situation', querystring: z.object({ traineeId: z.uuid().optional() }), response: { 200: z.object({ practiceCalls: z.array(practiceCallReply) }) } },
    handler: async (request) => ({ practiceCalls: await a.practice.list(request.query.traineeId, siteScope(request)) }),
  });

  app.post('/assessment/practice-calls', {
    config: { access: staff },
    schema: { tags: ['assessment'], summary: 'Enregistrer une mise en situation (le formateur joue le client)', body: practiceCallBody, response: { 201: practiceCallReply } },
    handler: async (request, reply) => {
      await assertTraineeInScope(app.db, siteScope(request), request.body.traineeId);
      return reply.status(201).send(await a.practice.create(userActor(request), request.body));
    },
  });

  app.patch('/assessment/practice-calls/:id', {
    config: { access: staff },
    schema: { tags: ['assessment'], summary: 'Compléter une mise en situation (fin, enregistrement, notes)', params: idParams, body: practiceCallPatch, response: { 200: practiceCallReply } },
    handler: async (request) => a.practice.update(userActor(request), request.params.id, request.body),
  });
}
