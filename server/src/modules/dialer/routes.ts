import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';

const todayReply = z.object({ calls: z.number().int(), talkSeconds: z.number().int(), appointments: z.number().int() });

/** The trainee's own figures for the current day of its site (the console's counters survive a reload). */
const dialerRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/agents/me/today', {
    config: { access: { roles: ['trainee'] } },
    schema: { tags: ['dialer'], summary: 'Mes appels, temps de conversation et rendez-vous du jour', response: { 200: todayReply } },
    handler: async (request) => {
      const userId = request.principal!.userId!;
      const siteId = request.principal?.kind === 'session' ? request.principal.siteId : null;
      const site = siteId ? await app.db.selectFrom('sites').select('timeZone').where('id', '=', siteId).executeTakeFirst() : undefined;
      const tz = site?.timeZone ?? app.config.SITE_TIME_ZONE;
      const r = await sql<{ calls: number; talkSeconds: number; appointments: number }>`
        select count(*)::int as calls, coalesce(sum(talk_seconds), 0)::int as talk_seconds,
          (count(*) filter (where outcome = 'appointment'))::int as appointments
        from call_attempts
        where agent_user_id = ${userId}
          and dialed_at >= (date_trunc('day', now() at time zone ${tz}) at time zone ${tz})`.execute(app.db);
      return r.rows[0]!;
    },
  });
};

export default dialerRoutes;
