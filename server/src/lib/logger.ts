import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../config.ts';

/** Fields that may carry personal data or secrets: never written to logs. */
export const redactedPaths = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.phone',
  '*.phoneE164',
  '*.firstName',
  '*.lastName',
  '*.email',
  '*.destination',
  '*.token',
  '*.apiKey',
  '*.key',
];

export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  return {
    level: config.LOG_LEVEL,
    redact: { paths: redactedPaths, censor: '[masqué]' },
  };
}
