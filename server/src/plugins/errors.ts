import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from '../lib/errors.ts';

/** One error handler for the whole API: `{ error: { code, message } }` with the right status. */
export default fp(async (app) => {
  app.setErrorHandler((err, request, reply) => {
    if (err instanceof AppError) {
      return reply.status(err.statusCode).send({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      return reply.status(400).send({
        error: {
          code: 'VALIDATION_ERROR',
          message: 'Requête invalide.',
          details: { issues: err.validation.map((v) => ({ path: v.instancePath || '/', message: v.message ?? '' })) },
        },
      });
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err, route: request.routeOptions.url }, 'response does not match its schema');
      return reply.status(500).send({ error: { code: 'INTERNAL', message: 'Erreur interne.' } });
    }
    const status = typeof (err as { statusCode?: unknown }).statusCode === 'number' ? (err as { statusCode: number }).statusCode : 500;
    if (status >= 500) {
      request.log.error({ err }, 'unhandled error');
      return reply.status(500).send({ error: { code: 'INTERNAL', message: 'Erreur interne.' } });
    }
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 429 ? 'RATE_LIMITED' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST';
    const message =
      status === 413 ? 'Fichier ou requête trop volumineux.' :
      status === 429 ? 'Trop de requêtes, réessayez plus tard.' :
      status === 415 ? 'Type de contenu non pris en charge.' : 'Requête invalide.';
    return reply.status(status).send({ error: { code, message } });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'Ressource introuvable.' } });
  });
});
