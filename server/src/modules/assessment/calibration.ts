import {
  answerProblems,
  exactAgreement,
  krippendorffAlpha,
  reliabilityData,
  scoreEvaluation,
  spreadPerCriterion,
  type Answers,
} from '@passerelle/shared/scoring';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { AuditActor, AuditService } from '../audit/service.ts';
import { badRequest, conflict, forbidden, notFound } from '../../lib/errors.ts';
import { incompleteAnswers, type Evaluations, type SubjectRef } from './evaluations.ts';
import { assertTraineeInScope } from './scope.ts';
import type { Scorecards } from './scorecards.ts';
import type { CalibrationAgreement } from './tables.ts';

type Actor = AuditActor & { userId: string; role: string | null };
const DAY_MS = 86_400_000;

/** Blind multi-rater scoring of one call, then an agreed reference score. */
export class Calibrations {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly scorecards: Scorecards,
    private readonly evaluations: Evaluations,
    private readonly retentionDays: number,
  ) {}

  async create(actor: Actor, input: SubjectRef & { title: string; scorecardId?: string | undefined }, siteId: string | null): Promise<string> {
    const scorecard = input.scorecardId ? await this.scorecards.get(input.scorecardId) : await this.scorecards.defaultLatest();
    const s = await this.evaluations.resolveSubject(input);
    await assertTraineeInScope(this.db, siteId, s.traineeId);
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('calibrationSessions')
        .values({
          title: input.title,
          scorecardId: scorecard.id,
          traineeId: s.traineeId,
          attemptId: s.attemptId,
          recordingId: s.recordingId,
          practiceCallId: s.practiceCallId,
          createdBy: actor.userId,
          deleteAfter: new Date(Date.now() + this.retentionDays * DAY_MS),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.audit.record(actor, { action: 'calibration.create', targetType: 'calibration_session', targetId: row.id, details: { scorecardId: scorecard.id } }, trx);
      return row.id;
    });
  }

  private async session(id: string) {
    const s = await this.db.selectFrom('calibrationSessions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!s) throw notFound('Séance de calibrage');
    return s;
  }

  /** The caller's own scoring in the session (created as a draft on first call). */
  async join(actor: Actor, id: string, siteId: string | null): Promise<string> {
    const s = await this.session(id);
    await assertTraineeInScope(this.db, siteId, s.traineeId);
    const existing = await this.db.selectFrom('evaluations').select('id').where('calibrationSessionId', '=', id).where('evaluatorId', '=', actor.userId).executeTakeFirst();
    if (existing) return existing.id;
    if (s.status !== 'open') throw conflict('CALIBRATION_CLOSED', 'Cette séance de calibrage est close.');
    return this.evaluations.create(actor, {
      scorecardId: s.scorecardId,
      attemptId: s.attemptId ?? undefined,
      recordingId: s.recordingId ?? undefined,
      practiceCallId: s.practiceCallId ?? undefined,
      calibrationSessionId: id,
    });
  }

  async list(siteId: string | null) {
    let q = this.db
      .selectFrom('calibrationSessions')
      .select(['id', 'title', 'status', 'traineeId', 'createdAt', 'closedAt'])
      .select(sql<number>`(select count(*)::int from evaluations e where e.calibration_session_id = calibration_sessions.id and e.status = 'final')`.as('submitted'))
      .orderBy('createdAt', 'desc')
      .limit(200);
    if (siteId) q = q.where('traineeId', 'in', this.db.selectFrom('users').select('id').where('siteId', '=', siteId));
    return q.execute();
  }

  async view(actor: Actor, id: string, siteId: string | null) {
    const s = await this.session(id);
    await assertTraineeInScope(this.db, siteId, s.traineeId);
    const scorecard = await this.scorecards.get(s.scorecardId);
    const evals = await this.db
      .selectFrom('evaluations')
      .innerJoin('users', 'users.id', 'evaluations.evaluatorId')
      .select(['evaluations.id', 'evaluatorId', 'users.displayName as evaluatorName', 'status', 'answers', 'overall'])
      .where('calibrationSessionId', '=', id)
      .orderBy('evaluations.createdAt')
      .execute();
    const mine = evals.find((e) => e.evaluatorId === actor.userId);
    const revealed = s.status === 'closed' || mine?.status === 'final';
    const submitted = evals.filter((e) => e.status === 'final');
    const answers = submitted.map((e) => e.answers);
    const recording = await this.evaluations.recordingOf(s);
    await this.audit.record(actor, { action: 'calibration.view', targetType: 'calibration_session', targetId: id, details: { revealed } });
    return {
      ...s,
      recording: recording ? { id: recording.id, durationMs: recording.durationMs, peaks: recording.peaks } : null,
      myEvaluationId: mine?.id ?? null,
      revealed,
      participants: evals.map((e) => ({ evaluatorId: e.evaluatorId, evaluatorName: e.evaluatorName, submitted: e.status === 'final' })),
      ratings: revealed ? submitted.map((e) => ({ evaluatorId: e.evaluatorId, evaluatorName: e.evaluatorName, answers: e.answers, overall: e.overall })) : [],
      spread: revealed ? spreadPerCriterion(scorecard.grid, answers) : [],
      agreement: revealed ? (s.agreement ?? agreementOf(reliabilityData(scorecard.grid, answers), answers.length)) : null,
      reference: s.referenceAnswers && s.referenceResult ? { answers: s.referenceAnswers, result: s.referenceResult } : null,
    };
  }

  /** Records the agreed reference score and closes the session (its creator or an admin). */
  async close(actor: Actor, id: string, reference: Answers): Promise<void> {
    const s = await this.session(id);
    if (s.createdBy !== actor.userId && actor.role !== 'admin') throw forbidden('Seul l’animateur de la séance peut la clore.');
    if (s.status !== 'open') throw conflict('CALIBRATION_CLOSED', 'Cette séance de calibrage est déjà close.');
    const scorecard = await this.scorecards.get(s.scorecardId);
    const problems = answerProblems(scorecard.grid, reference);
    if (problems.length > 0) throw badRequest('INVALID_ANSWERS', problems.join(' '), { problems });
    const result = scoreEvaluation(scorecard.grid, reference);
    if (!result.complete) throw incompleteAnswers(scorecard.grid, result.missing);
    const submitted = await this.db.selectFrom('evaluations').select('answers').where('calibrationSessionId', '=', id).where('status', '=', 'final').execute();
    if (submitted.length < 2) throw conflict('CALIBRATION_TOO_FEW', 'Il faut au moins deux notations soumises pour clore le calibrage.');
    const answers = submitted.map((e) => e.answers);
    const agreement = agreementOf(reliabilityData(scorecard.grid, answers), answers.length);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('calibrationSessions')
        .set({ status: 'closed', closedAt: new Date(), referenceAnswers: JSON.stringify(reference), referenceResult: JSON.stringify(result), agreement: JSON.stringify(agreement) })
        .where('id', '=', id)
        .execute();
      await this.audit.record(actor, { action: 'calibration.close', targetType: 'calibration_session', targetId: id, details: { ...agreement, referenceOverall: result.overall } }, trx);
    });
  }
}

function agreementOf(data: ReturnType<typeof reliabilityData>, raters: number): CalibrationAgreement {
  return { raters, exactAgreement: exactAgreement(data), krippendorffAlphaOrdinal: krippendorffAlpha(data, 'ordinal') };
}
