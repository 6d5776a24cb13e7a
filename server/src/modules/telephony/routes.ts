import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { unauthorized } from '../../lib/errors.ts';
import { sipCredentials } from './credentials.ts';
import { credentialsReply } from './schemas.ts';

/** Agent-facing telephony API (under /api). */
const telephonyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/telephony/credentials', {
    config: { access: { roles: ['trainee'] } },
    schema: {
      tags: ['telephony'],
      summary: 'Identifiants SIP éphémères du conseiller connecté (pour lui-même uniquement)',
      response: { 200: credentialsReply },
    },
    handler: async (request) => {
      const p = request.principal;
      if (p?.kind !== 'session') throw unauthorized();
      const c = sipCredentials(app.config.SIP_AUTH_SECRET, p.userId, new Date());
      return {
        username: c.username,
        password: c.password,
        uri: `sip:${p.userId}@${app.config.SIP_DOMAIN}`,
        domain: app.config.SIP_DOMAIN,
        wsUrl: app.config.SIP_WS_URL,
        expiresAt: c.expiresAt.toISOString(),
      };
    },
  });
};

export default telephonyRoutes;
