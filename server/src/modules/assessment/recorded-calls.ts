import { z } from 'zod';
import type { Db } from '../../db/database.ts';

export const recordedCallsQuery = z.object({
  traineeId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const recordedCall = z.object({
  attemptId: z.uuid(),
  traineeId: z.uuid(),
  traineeName: z.string(),
  callAt: z.date(),
  durationMs: z.number().int(),
  campaignType: z.string(),
  outcome: z.string().nullable(),
  evaluations: z.number().int(),
});
export type RecordedCall = z.infer<typeof recordedCall>;

/**
 * Recorded calls of the campaigns, most recent first, for a trainer to pick one to score (the
 * trainee's pseudonymous display name, never the customer). `siteId`: a site-bound trainer's scope.
 */
export function recordedCalls(db: Db, q: { traineeId?: string | undefined; limit: number; siteId: string | null }): Promise<RecordedCall[]> {
  let query = db
    .selectFrom('recordings as r')
    .innerJoin('callAttempts as a', 'a.id', 'r.attemptId')
    .innerJoin('users as u', 'u.id', 'a.agentUserId')
    .innerJoin('campaigns as c', 'c.id', 'a.campaignId')
    .select((eb) => [
      'a.id as attemptId',
      'u.id as traineeId',
      'u.displayName as traineeName',
      eb.fn.coalesce('a.dialedAt', 'r.createdAt').as('callAt'),
      'r.durationMs',
      'c.type as campaignType',
      'a.outcome',
      eb.selectFrom('evaluations as e').whereRef('e.attemptId', '=', 'a.id').select(eb.fn.countAll<number>().as('n')).as('evaluations'),
    ])
    .orderBy('r.createdAt', 'desc')
    .limit(q.limit);
  if (q.traineeId) query = query.where('a.agentUserId', '=', q.traineeId);
  if (q.siteId) query = query.where('u.siteId', '=', q.siteId);
  return query.execute().then((rows) => rows.map((r) => ({ ...r, evaluations: Number(r.evaluations ?? 0) })));
}
