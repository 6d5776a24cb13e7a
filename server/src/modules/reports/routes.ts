import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffRoles } from '@passerelle/shared/roles';
import { campaignDailyQuery, campaignDailyReply, hoursQuery, hoursReply } from '@passerelle/shared/api/reports';
import { notFound } from '../../lib/errors.ts';
import { campaignDaily, hoursCsv, hoursReport } from './service.ts';

/** Trainees' working-time record (contrat d'emploi pénitentiaire): hours by day or week. */
const reportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/reports/hours', {
    config: { access: { roles: staffRoles } },
    schema: { tags: ['reports'], summary: 'Heures des conseillers par jour ou semaine (JSON ou CSV)', querystring: hoursQuery, response: { 200: z.union([hoursReply, z.string()]) } },
    handler: async (request, reply) => {
      const q = request.query;
      const timeZone = app.config.SITE_TIME_ZONE;
      const items = await hoursReport(app.db, { from: new Date(q.from), to: new Date(q.to), group: q.group, timeZone, ...(q.userId ? { userId: q.userId } : {}) });
      if (q.format === 'csv') {
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="heures-${q.group}-${q.from.slice(0, 10)}.csv"`)
          .send(hoursCsv(items, q.group));
      }
      return { timeZone, group: q.group, items };
    },
  });

  // Counters only (no contact, no export): viewing them is not audited, unlike the results export.
  app.get('/campaigns/:id/daily', {
    config: { access: { roles: staffRoles } },
    schema: {
      tags: ['reports'],
      summary: 'Appels d’une campagne par jour (tentatives, contacts joints, issues), fuseau du site',
      params: z.object({ id: z.uuid() }),
      querystring: campaignDailyQuery,
      response: { 200: campaignDailyReply },
    },
    handler: async (request) => {
      const exists = await app.db.selectFrom('campaigns').select('id').where('id', '=', request.params.id).executeTakeFirst();
      if (!exists) throw notFound('Campagne');
      const timeZone = app.config.SITE_TIME_ZONE;
      return { timeZone, days: await campaignDaily(app.db, { campaignId: request.params.id, days: request.query.days, timeZone }) };
    },
  });
};

export default reportRoutes;
