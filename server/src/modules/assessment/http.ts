import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { actorOf } from '../../lib/principal.ts';
import { unauthorized } from '../../lib/errors.ts';

export type ZodApp = Parameters<FastifyPluginAsyncZod>[0];

export const staff = { roles: ['admin', 'trainer'] as const };
export const traineeOnly = { roles: ['trainee'] as const };

/** The audit actor of a logged-in user (assessment routes are never open to API keys). */
export function userActor(request: FastifyRequest) {
  const p = request.principal;
  if (p?.kind !== 'session') throw unauthorized();
  return { ...actorOf(p, request.ip), userId: p.userId, role: p.role };
}
