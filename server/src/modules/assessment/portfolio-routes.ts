import { z } from 'zod';
import { badRequest } from '../../lib/errors.ts';
import type { Assessment } from './service.ts';
import { portfolioQuery, traineeParams } from './schemas.ts';
import { staff, userActor, type ZodApp } from './http.ts';
import { assertTraineeInScope, siteScope } from './scope.ts';

/** Evidence portfolio per trainee, as printable HTML or PDF; every export is audited. */
export function portfolioRoutes(app: ZodApp, a: Assessment): void {
  for (const format of ['html', 'pdf'] as const) {
    app.get(`/assessment/trainees/:traineeId/portfolio.${format}`, {
      config: { access: staff },
      schema: {
        tags: ['assessment'],
        summary: format === 'html' ? 'Portfolio de preuves (HTML imprimable)' : 'Portfolio de preuves (PDF)',
        params: traineeParams,
        querystring: portfolioQuery,
        response: { 200: z.any().describe(format === 'html' ? 'text/html' : 'application/pdf') },
      },
      handler: async (request, reply) => {
        const ids = request.query.evaluationIds ? request.query.evaluationIds.split(',').map((s) => s.trim()).filter(Boolean) : null;
        if (ids && ids.some((id) => !z.uuid().safeParse(id).success)) throw badRequest('INVALID_EVALUATIONS', 'Identifiants d’évaluation invalides.');
        await assertTraineeInScope(app.db, siteScope(request), request.params.traineeId);
        const data = await a.portfolios.data(request.params.traineeId, ids);
        const html = a.portfolios.html(data);
        const body = format === 'html' ? html : await a.portfolios.pdf(html);
        await app.audit.record(userActor(request), {
          action: 'portfolio.export',
          targetType: 'user',
          targetId: request.params.traineeId,
          details: { format, evaluations: data.evaluations.map((e) => e.id), reviews: data.reviews.length },
        });
        const name = `portfolio-${data.generatedAt.toISOString().slice(0, 10)}.${format}`;
        return reply
          .header('content-type', format === 'html' ? 'text/html; charset=utf-8' : 'application/pdf')
          .header('content-disposition', `${format === 'html' ? 'inline' : 'attachment'}; filename="${name}"`)
          .header('cache-control', 'private, no-store')
          .send(body);
      },
    });
  }
}
