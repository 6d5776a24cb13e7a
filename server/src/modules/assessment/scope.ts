import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.ts';
import { notFound } from '../../lib/errors.ts';

/**
 * A trainer attached to a site follows that site's trainees only (as GET /api/trainees does);
 * admins and trainers without a site see every trainee. Returns the site to restrict to, or null.
 */
export function siteScope(request: FastifyRequest): string | null {
  const p = request.principal;
  return p?.kind === 'session' && p.role === 'trainer' ? p.siteId : null;
}

/** 404 when the trainee is outside the caller's site (another site's trainees are not disclosed). */
export async function assertTraineeInScope(db: Db, siteId: string | null, traineeId: string): Promise<void> {
  if (!siteId) return;
  const t = await db.selectFrom('users').select('siteId').where('id', '=', traineeId).executeTakeFirst();
  if (t?.siteId !== siteId) throw notFound('Stagiaire');
}
