import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { unauthorized } from '../../lib/errors.ts';
import { SIP_STAFF_CREDENTIAL_LIFETIME_S, sipCredentials } from './credentials.ts';
import { credentialsReply } from './schemas.ts';

/** Agent-facing telephony API (under /api). */
const telephonyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/telephony/credentials', {
    // Trainers and admins get a line only to play the customer in practice calls: the proxy
    // routes nothing else to them, and whatever they dial is refused by token resolution.
    config: { access: { roles: ['trainee', 'trainer', 'admin'] } },
    schema: {
      tags: ['telephony'],
      summary: 'Identifiants SIP éphémères de l’utilisateur connecté (pour lui-même uniquement ; formateurs : mises en situation)',
      response: { 200: credentialsReply },
    },
    handler: async (request) => {
      const p = request.principal;
      if (p?.kind !== 'session') throw unauthorized();
      const c = sipCredentials(app.config.SIP_AUTH_SECRET, p.userId, new Date(), p.role === 'trainee' ? undefined : SIP_STAFF_CREDENTIAL_LIFETIME_S);
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
