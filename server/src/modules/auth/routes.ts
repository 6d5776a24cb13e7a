import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { roles } from '@passerelle/shared/roles';
import { SESSION_COOKIE } from '../../plugins/auth.ts';
import { unauthorized } from '../../lib/errors.ts';
import { loginBody, sessionReply } from './schemas.ts';

const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: app.config.NODE_ENV === 'production',
  };

  app.post('/auth/login', {
    config: {
      access: { public: true },
      rateLimit: { max: app.config.LOGIN_RATE_PER_MIN, timeWindow: '1 minute' },
    },
    schema: { tags: ['auth'], summary: 'Connexion par identifiant et mot de passe', body: loginBody, response: { 200: sessionReply } },
    handler: async (request, reply) => {
      const { token, csrfToken, expiresAt, user } = await app.auth.login({
        ...request.body,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? '',
      });
      reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions, expires: expiresAt });
      return { user, csrfToken, idleTimeoutSeconds: app.auth.idleTimeoutMs(user.role) / 1000 };
    },
  });

  app.get('/auth/session', {
    config: { access: { roles } },
    schema: { tags: ['auth'], summary: 'Session courante', response: { 200: sessionReply } },
    handler: async (request) => {
      const p = request.principal;
      if (p?.kind !== 'session') throw unauthorized();
      return {
        user: { id: p.userId, username: p.username, displayName: p.displayName, role: p.role, siteId: p.siteId, partnerId: p.partnerId, locale: p.locale },
        csrfToken: p.csrfToken,
        idleTimeoutSeconds: app.auth.idleTimeoutMs(p.role) / 1000,
      };
    },
  });

  app.post('/auth/logout', {
    config: { access: { roles } },
    schema: { tags: ['auth'], summary: 'Déconnexion', response: { 204: z.null() } },
    handler: async (request, reply) => {
      const p = request.principal;
      if (p?.kind === 'session') {
        for (const err of await app.auth.logout(p, request.ip)) request.log.error({ err }, 'logout hook failed');
      }
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return reply.status(204).send(null);
    },
  });
};

export default authRoutes;
