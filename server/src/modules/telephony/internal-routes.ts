import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { safeEqual } from '../../lib/tokens.ts';
import type { TelephonyService } from './service.ts';
import { resolvePracticeQuery, resolvePracticeReply, resolveQuery, resolveReply, sipEventsBody } from './schemas.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Marks machine-to-machine routes outside /api (no session, no role): the authz matrix skips them. */
    internal?: 'sip';
  }
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/** The proxy's key: the x-sip-api-key header, or the password of Basic credentials for user "kamailio". */
export function sipKeyOf(headers: { 'x-sip-api-key'?: string | string[]; authorization?: string }): string | undefined {
  const key = headers['x-sip-api-key'];
  if (typeof key === 'string') return key;
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(headers.authorization ?? '');
  if (!basic) return undefined;
  const credentials = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const colon = credentials.indexOf(':');
  return colon >= 0 && credentials.slice(0, colon) === 'kamailio' ? credentials.slice(colon + 1) : undefined;
}

/**
 * Kamailio → server, on loopback only, with the shared key (Basic credentials or x-sip-api-key). Registered under
 * /internal/sip, outside /api and its session guard.
 */
const internalSipRoutes: FastifyPluginAsyncZod<{ telephony: TelephonyService }> = async (app, { telephony }) => {
  app.addHook('onRequest', async (request) => {
    // The socket address, not request.ip: a proxy header must not make a remote caller "local".
    if (!LOOPBACK.test(request.socket.remoteAddress ?? '')) throw new AppError(403, 'FORBIDDEN', 'Accès réservé au proxy SIP local.');
    const key = sipKeyOf(request.headers);
    if (key === undefined || !safeEqual(key, app.config.SIP_API_KEY)) throw new AppError(401, 'INVALID_SIP_KEY', 'Clé du proxy SIP invalide.');
  });

  app.get('/resolve', {
    config: { internal: 'sip' },
    // Machine to machine: no browser reads these replies, the security headers are pure cost.
    helmet: false,
    schema: { hide: true, querystring: resolveQuery, response: { 200: resolveReply } },
    handler: async (request) => telephony.resolve(request.query.token, request.query.agent, request.query.callId),
  });

  // Practice calls (pt_ tokens): a separate branch, never the dialer's resolution.
  app.get('/resolve-practice', {
    config: { internal: 'sip' },
    helmet: false,
    schema: { hide: true, querystring: resolvePracticeQuery, response: { 200: resolvePracticeReply } },
    handler: async (request) => telephony.resolvePractice(request.query.token, request.query.agent, request.query.callId),
  });

  app.post('/events', {
    config: { internal: 'sip' },
    helmet: false,
    schema: { hide: true, body: sipEventsBody, response: { 204: z.null() } },
    handler: async (request, reply) => {
      await telephony.events(Array.isArray(request.body) ? request.body : [request.body]);
      return reply.status(204).send(null);
    },
  });
};

export default internalSipRoutes;
