import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { AuditActor, AuditService } from '../audit/service.ts';
import { badRequest, notFound } from '../../lib/errors.ts';
import type { Scorecards } from './scorecards.ts';
import type { ReviewKind } from './tables.ts';

const DAY_MS = 86_400_000;
/** A next review this close (days) is listed as due soon. */
export const REMINDER_HORIZON_DAYS = 14;

export interface ReviewInput {
  traineeId: string;
  kind: ReviewKind;
  reviewDate: string;
  scorecardId?: string | undefined;
  competencyLevels: Record<string, number>;
  objectives: string[];
  comments: string;
  evaluationIds: string[];
  nextReviewDate: string | null;
}

/** Bilans: initial, follow-up and final reviews with the evaluations they relied on. */
export class Reviews {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly scorecards: Scorecards,
    private readonly retentionDays: number,
    private readonly siteTimeZone: string,
  ) {}

  private select() {
    return this.db
      .selectFrom('reviews as r')
      .innerJoin('users as t', 't.id', 'r.traineeId')
      .innerJoin('users as f', 'f.id', 'r.trainerId')
      .select([
        'r.id',
        'r.traineeId',
        't.displayName as traineeName',
        'r.trainerId',
        'f.displayName as trainerName',
        'r.kind',
        sql<string>`to_char(r.review_date, 'YYYY-MM-DD')`.as('reviewDate'),
        'r.scorecardId',
        'r.competencyLevels',
        'r.objectives',
        'r.comments',
        sql<string | null>`to_char(r.next_review_date, 'YYYY-MM-DD')`.as('nextReviewDate'),
        'r.createdAt',
      ])
      .select((eb) =>
        eb.fn
          .coalesce(eb.selectFrom('reviewEvaluations as re').select(sql<string[]>`array_agg(re.evaluation_id::text order by re.evaluation_id)`.as('ids')).whereRef('re.reviewId', '=', 'r.id'), sql<string[]>`'{}'::text[]`)
          .as('evaluationIds'),
      );
  }

  async get(id: string) {
    const row = await this.select().where('r.id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Bilan');
    return row;
  }

  async listFor(traineeId: string) {
    return this.select().where('r.traineeId', '=', traineeId).orderBy('r.reviewDate', 'desc').orderBy('r.createdAt', 'desc').execute();
  }

  async create(actor: AuditActor & { userId: string }, input: ReviewInput) {
    const trainee = await this.db.selectFrom('users').select('role').where('id', '=', input.traineeId).executeTakeFirst();
    if (trainee?.role !== 'trainee') throw badRequest('NOT_A_TRAINEE', 'Le bilan doit concerner un stagiaire.');
    const scorecard = input.scorecardId ? await this.scorecards.get(input.scorecardId) : await this.scorecards.defaultLatest();
    const competencies = new Set(scorecard.grid.competencies.map((c) => c.id));
    const levels = new Set(scorecard.grid.scale.map((l) => l.value));
    for (const [id, level] of Object.entries(input.competencyLevels)) {
      if (!competencies.has(id)) throw badRequest('UNKNOWN_COMPETENCY', `Compétence inconnue : ${id}.`);
      if (!levels.has(level)) throw badRequest('INVALID_LEVEL', `Niveau hors échelle pour ${id} : ${level}.`);
    }
    if (input.nextReviewDate && input.nextReviewDate <= input.reviewDate) throw badRequest('INVALID_NEXT_REVIEW', 'Le prochain bilan doit suivre la date du bilan.');
    if (input.evaluationIds.length > 0) {
      const found = await this.db
        .selectFrom('evaluations')
        .select('id')
        .where('id', 'in', input.evaluationIds)
        .where('traineeId', '=', input.traineeId)
        .where('status', '=', 'final')
        .where('calibrationSessionId', 'is', null)
        .execute();
      if (found.length !== new Set(input.evaluationIds).size) throw badRequest('INVALID_EVALUATIONS', 'Un bilan ne s’appuie que sur des évaluations définitives de ce stagiaire.');
    }
    const id = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('reviews')
        .values({
          traineeId: input.traineeId,
          trainerId: actor.userId,
          kind: input.kind,
          reviewDate: input.reviewDate,
          scorecardId: scorecard.id,
          competencyLevels: JSON.stringify(input.competencyLevels),
          objectives: JSON.stringify(input.objectives),
          comments: input.comments,
          nextReviewDate: input.nextReviewDate,
          deleteAfter: new Date(Date.now() + this.retentionDays * DAY_MS),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const ids = [...new Set(input.evaluationIds)];
      if (ids.length > 0) await trx.insertInto('reviewEvaluations').values(ids.map((evaluationId) => ({ reviewId: row.id, evaluationId }))).execute();
      await this.audit.record(actor, { action: 'review.create', targetType: 'review', targetId: row.id, details: { traineeId: input.traineeId, kind: input.kind, evaluations: ids.length } }, trx);
      return row.id;
    });
    return this.get(id);
  }

  /**
   * Trainees needing a review: next review date passed (overdue), within the horizon (due soon),
   * or no review at all. Days are counted in the site's time zone.
   */
  async reminders(siteId: string | null, horizonDays = REMINDER_HORIZON_DAYS) {
    const today = sql<string>`(now() at time zone ${this.siteTimeZone})::date`;
    let q = this.db
      .selectFrom('users as u')
      .leftJoinLateral(
        (eb) =>
          eb
            .selectFrom('reviews')
            .select(['id', 'reviewDate', 'nextReviewDate'])
            .whereRef('reviews.traineeId', '=', 'u.id')
            .orderBy('reviewDate', 'desc')
            .orderBy('createdAt', 'desc')
            .limit(1)
            .as('last'),
        (join) => join.onTrue(),
      )
      .select([
        'u.id as traineeId',
        'u.displayName as traineeName',
        'last.id as lastReviewId',
        sql<string | null>`to_char(last.review_date, 'YYYY-MM-DD')`.as('lastReviewDate'),
        sql<string | null>`to_char(last.next_review_date, 'YYYY-MM-DD')`.as('nextReviewDate'),
        sql<'overdue' | 'due_soon' | 'no_review' | null>`case
          when last.id is null then 'no_review'
          when last.next_review_date < ${today} then 'overdue'
          when last.next_review_date <= ${today} + ${horizonDays}::int then 'due_soon'
          else null end`.as('status'),
      ])
      .where('u.role', '=', 'trainee')
      .where('u.active', '=', true)
      .orderBy(sql`last.next_review_date nulls first`)
      .orderBy('u.displayName');
    if (siteId) q = q.where('u.siteId', '=', siteId);
    const rows = await q.execute();
    return rows.filter((r): r is typeof r & { status: 'overdue' | 'due_soon' | 'no_review' } => r.status !== null);
  }
}
