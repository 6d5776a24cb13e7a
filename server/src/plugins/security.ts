import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';

/**
 * Strict CSP: everything comes from the platform itself (the call centre is a closed network).
 * `connect-src` allows the SIP websocket, which may sit on another port.
 */
export default fp(async (app) => {
  const sipOrigin = new URL(app.config.SIP_WS_URL.replace(/^ws/, 'http')).origin.replace(/^http/, 'ws');
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'", sipOrigin, sipOrigin.replace(/^ws:/, 'wss:')],
        workerSrc: ["'self'", 'blob:'],
        manifestSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
    hsts: app.config.NODE_ENV === 'production',
  });
  await app.register(rateLimit, { global: false, redis: app.redis, nameSpace: `${app.config.REDIS_PREFIX}:rl:` });
});
