import fp from 'fastify-plugin';
import { AppError } from '../lib/errors.ts';

/** True when a decoded input holds U+0000 anywhere (keys included): PostgreSQL text cannot store it. */
function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value) || depth > 32) return false;
  if (Array.isArray(value)) return value.some((item) => hasNul(item, depth + 1));
  return Object.entries(value).some(([key, item]) => key.includes('\u0000') || hasNul(item, depth + 1));
}

/**
 * Refuses a NUL character in any route's params, query or JSON body with a clear 400, on every
 * route including the public ones, instead of the database's "invalid byte sequence" (a 500).
 */
export default fp(async (app) => {
  app.addHook('preValidation', async (request) => {
    if (hasNul(request.params) || hasNul(request.query) || hasNul(request.body)) {
      throw new AppError(400, 'INVALID_CHARACTER', 'Le texte envoyé contient un caractère nul (U+0000), qui n’est pas accepté.');
    }
  });
});
