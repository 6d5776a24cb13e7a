import { z } from 'zod';
import type { Assessment } from './service.ts';
import { evaluationDetail, evaluationListQuery, evaluationResultSchema, evaluationSummary, idParams, newCommentBody, newEvaluationBody, updateEvaluationBody } from './schemas.ts';
import { staff, userActor, type ZodApp } from './http.ts';
import { assertTraineeInScope, siteScope } from './scope.ts';
import { recordedCall, recordedCalls, recordedCallsQuery } from './recorded-calls.ts';

export function evaluationRoutes(app: ZodApp, a: Assessment): void {
  app.get('/assessment/evaluations', {
    config: { access: staff },
    schema: { tags: ['assessment'], summary: 'Évaluations (filtrables par stagiaire, statut, mise en situation)', querystring: evaluationListQuery, response: { 200: z.object({ evaluations: z.array(evaluationSummary) }) } },
    handler: async (request) => {
      const { practice, ...rest } = request.query;
      return { evaluations: await a.evaluations.list({ ...rest, practice: practice === undefined ? undefined : practice === 'true', siteId: siteScope(request) }) };
    },
  });

  app.get('/assessment/recorded-calls', {
    config: { access: staff },
    schema: { tags: ['assessment'], summary: 'Appels enregistrés à évaluer (les plus récents d’abord)', querystring: recordedCallsQuery, response: { 200: z.object({ calls: z.array(recordedCall) }) } },
    handler: async (request) => ({ calls: await recordedCalls(app.db, { ...request.query, siteId: siteScope(request) }) }),
  });

  app.post('/assessment/evaluations', {
    config: { access: staff },
    schema: {
      tags: ['assessment'],
      summary: 'Commencer une évaluation (brouillon) d’un appel, d’un enregistrement ou d’une mise en situation',
      body: newEvaluationBody,
      response: { 201: evaluationDetail },
    },
    handler: async (request, reply) => {
      const id = await a.evaluations.create(userActor(request), request.body, siteScope(request));
      return reply.status(201).send(await a.evaluations.detail(id));
    },
  });

  app.get('/assessment/evaluations/:id', {
    config: { access: staff },
    schema: { tags: ['assessment'], summary: 'Une évaluation (consultation journalisée)', params: idParams, response: { 200: evaluationDetail } },
    handler: async (request) => {
      const actor = userActor(request);
      const row = await a.evaluations.row(request.params.id);
      await assertTraineeInScope(app.db, siteScope(request), row.traineeId);
      await a.evaluations.assertStaffCanView(actor.userId, row);
      const detail = await a.evaluations.detail(request.params.id);
      await app.audit.record(actor, { action: 'evaluation.view', targetType: 'evaluation', targetId: detail.id, details: { traineeId: detail.traineeId } });
      return detail;
    },
  });

  app.patch('/assessment/evaluations/:id', {
    config: { access: staff },
    schema: { tags: ['assessment'], summary: 'Modifier un brouillon (réponses, commentaires, extrait partagé)', params: idParams, body: updateEvaluationBody, response: { 200: evaluationDetail } },
    handler: async (request) => {
      await a.evaluations.update(userActor(request), request.params.id, request.body);
      return a.evaluations.detail(request.params.id);
    },
  });

  app.post('/assessment/evaluations/:id/comments', {
    config: { access: staff },
    schema: { tags: ['assessment'], summary: 'Ajouter un commentaire horodaté (position dans l’enregistrement en ms)', params: idParams, body: newCommentBody, response: { 201: evaluationDetail } },
    handler: async (request, reply) => {
      await a.evaluations.addComment(userActor(request), request.params.id, request.body);
      return reply.status(201).send(await a.evaluations.detail(request.params.id));
    },
  });

  app.delete('/assessment/evaluations/:id/comments/:commentId', {
    config: { access: staff },
    schema: { tags: ['assessment'], summary: 'Supprimer un commentaire d’un brouillon', params: z.object({ id: z.uuid(), commentId: z.uuid() }), response: { 204: z.null() } },
    handler: async (request, reply) => {
      await a.evaluations.deleteComment(userActor(request), request.params.id, request.params.commentId);
      return reply.status(204).send(null);
    },
  });

  app.post('/assessment/evaluations/:id/finalize', {
    config: { access: staff },
    schema: {
      tags: ['assessment'],
      summary: 'Rendre l’évaluation définitive (score figé, stagiaire prévenu)',
      params: idParams,
      response: { 200: evaluationDetail.extend({ result: evaluationResultSchema }) },
    },
    handler: async (request) => {
      await a.evaluations.finalize(userActor(request), request.params.id);
      return a.evaluations.detail(request.params.id);
    },
  });
}
