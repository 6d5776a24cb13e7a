import { sql } from 'kysely';
import { progressOf, summarizeSeries, type ScoredPoint } from '@passerelle/shared/scoring';
import type { Db } from '../../db/database.ts';
import { notFound } from '../../lib/errors.ts';
import type { Scorecards } from './scorecards.ts';

export interface ProgressFilter {
  from?: string | undefined;
  to?: string | undefined;
  /** A campaign type, or 'practice' for role plays only. */
  campaignType?: 'appointment' | 'loyalty' | 'after_sales' | 'practice' | undefined;
}

/** Progress of trainees from their final evaluations (calibration scorings excluded). */
export class ProgressService {
  constructor(
    private readonly db: Db,
    private readonly scorecards: Scorecards,
    private readonly siteTimeZone: string,
  ) {}

  /** Final evaluations in the filter, oldest first. Dates are days in the site's time zone. */
  async finalEvaluations(filter: ProgressFilter, traineeId?: string) {
    let q = this.db
      .selectFrom('evaluations')
      .select(['id', 'traineeId', 'callAt', 'overall', 'isPractice', 'result', 'campaignType', 'scorecardId'])
      .where('status', '=', 'final')
      .where('calibrationSessionId', 'is', null);
    if (traineeId) q = q.where('traineeId', '=', traineeId);
    if (filter.from) q = q.where('callAt', '>=', sql<Date>`(${filter.from}::date)::timestamp at time zone ${this.siteTimeZone}`);
    if (filter.to) q = q.where('callAt', '<', sql<Date>`(${filter.to}::date + 1)::timestamp at time zone ${this.siteTimeZone}`);
    if (filter.campaignType === 'practice') q = q.where('isPractice', '=', true);
    else if (filter.campaignType) q = q.where('campaignType', '=', filter.campaignType).where('isPractice', '=', false);
    return q.orderBy('callAt').execute();
  }

  private static point(e: Awaited<ReturnType<ProgressService['finalEvaluations']>>[number]): ScoredPoint & { evaluationId: string; isPractice: boolean } {
    return {
      evaluationId: e.id,
      at: e.callAt,
      overall: e.overall,
      isPractice: e.isPractice,
      competencies: Object.fromEntries((e.result?.competencies ?? []).map((c) => [c.id, c.score])),
    };
  }

  async trainee(traineeId: string, filter: ProgressFilter, scorecardId?: string) {
    const user = await this.db.selectFrom('users').select(['id', 'displayName', 'role']).where('id', '=', traineeId).executeTakeFirst();
    if (user?.role !== 'trainee') throw notFound('Stagiaire');
    const scorecard = scorecardId ? await this.scorecards.get(scorecardId) : await this.scorecards.defaultLatest();
    const points = (await this.finalEvaluations(filter, traineeId)).map(ProgressService.point);
    const progress = progressOf(scorecard.grid, points);
    const review = await this.db
      .selectFrom('reviews')
      .select(['objectives', sql<string | null>`to_char(next_review_date, 'YYYY-MM-DD')`.as('nextReviewDate')])
      .where('traineeId', '=', traineeId)
      .orderBy('reviewDate', 'desc')
      .orderBy('createdAt', 'desc')
      .limit(1)
      .executeTakeFirst();
    return {
      traineeId,
      traineeName: user.displayName,
      scorecardId: scorecard.id,
      evaluated: points.length,
      ...progress,
      points,
      nextObjectives: review?.objectives ?? [],
      nextReviewDate: review?.nextReviewDate ?? null,
    };
  }

  /** Trainee × competency: each cell is the trainee's average competency score in the filter. */
  async matrix(filter: ProgressFilter, siteId?: string, scorecardId?: string) {
    const scorecard = scorecardId ? await this.scorecards.get(scorecardId) : await this.scorecards.defaultLatest();
    let tq = this.db.selectFrom('users').select(['id', 'displayName']).where('role', '=', 'trainee').where('active', '=', true);
    if (siteId) tq = tq.where('siteId', '=', siteId);
    const trainees = await tq.orderBy('displayName').execute();
    const evaluations = await this.finalEvaluations(filter);
    const competencies = scorecard.grid.competencies.map((c) => ({ id: c.id, label: c.label, block: c.block }));
    const rows = trainees.map((t) => {
      const points = evaluations.filter((e) => e.traineeId === t.id).map(ProgressService.point);
      const overall = summarizeSeries(points.map((p) => ({ at: p.at, value: p.overall })));
      const cells = Object.fromEntries(competencies.map((c) => [c.id, summarizeSeries(points.map((p) => ({ at: p.at, value: p.competencies[c.id] ?? null }))).average]));
      return { traineeId: t.id, traineeName: t.displayName, evaluated: points.length, overall: overall.average, trendPer30Days: overall.trendPer30Days, cells };
    });
    return { scorecardId: scorecard.id, competencies, rows };
  }
}
