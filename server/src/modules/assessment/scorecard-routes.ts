import { z } from 'zod';
import type { Assessment } from './service.ts';
import { copyScorecardBody, idParams, newScorecardBody, scorecardDetail, scorecardSummary } from './schemas.ts';
import { staff, userActor, type ZodApp } from './http.ts';

export function scorecardRoutes(app: ZodApp, a: Assessment): void {
  app.get('/assessment/scorecards', {
    config: { access: staff },
    schema: {
      tags: ['assessment'],
      summary: 'Grilles d’évaluation (dernière version de chacune, ou toutes les versions)',
      querystring: z.object({ all: z.enum(['true', 'false']).default('false') }),
      response: { 200: z.object({ scorecards: z.array(scorecardSummary) }) },
    },
    handler: async (request) => ({ scorecards: await a.scorecards.list(request.query.all === 'true') }),
  });

  app.get('/assessment/scorecards/:id', {
    config: { access: staff },
    schema: { tags: ['assessment'], summary: 'Une version de grille', params: idParams, response: { 200: scorecardDetail } },
    handler: async (request) => a.scorecards.get(request.params.id),
  });

  app.post('/assessment/scorecards', {
    config: { access: staff },
    schema: { tags: ['assessment'], summary: 'Créer une grille (version 1)', body: newScorecardBody, response: { 201: scorecardDetail } },
    handler: async (request, reply) => {
      const actor = userActor(request);
      const created = await a.scorecards.create({ ...request.body, createdBy: actor.userId });
      await app.audit.record(actor, { action: 'scorecard.create', targetType: 'scorecard', targetId: created.id, details: { version: created.version } });
      return reply.status(201).send(created);
    },
  });

  app.post('/assessment/scorecards/:id/copy', {
    config: { access: staff },
    schema: {
      tags: ['assessment'],
      summary: 'Copier et adapter une grille : nouvelle version (même grille) ou nouvelle grille',
      params: idParams,
      body: copyScorecardBody,
      response: { 201: scorecardDetail },
    },
    handler: async (request, reply) => {
      const actor = userActor(request);
      const basedOn = await a.scorecards.get(request.params.id);
      const created = await a.scorecards.create({ ...request.body, basedOn, createdBy: actor.userId });
      await app.audit.record(actor, { action: 'scorecard.copy', targetType: 'scorecard', targetId: created.id, details: { basedOn: basedOn.id, version: created.version, sameFamily: request.body.sameFamily } });
      return reply.status(201).send(created);
    },
  });
}
