import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../config.ts';

/** Fields that may carry personal data or secrets: never written to logs. */
export const redactedPaths = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  // Top level and up to two levels deep (pino's `*` matches exactly one level).
  ...['password', 'passwordHash', 'phone', 'phoneE164', 'phones', 'firstName', 'lastName', 'email', 'destination', 'destinationE164', 'token', 'apiKey', 'key']
    .flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
];

export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  return {
    level: config.LOG_LEVEL,
    redact: { paths: redactedPaths, censor: '[masqué]' },
  };
}
