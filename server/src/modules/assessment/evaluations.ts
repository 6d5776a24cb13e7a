import { sql } from 'kysely';
import { answerProblems, scoreEvaluation, type Answers, type EvaluationResult, type ScorecardGrid } from '@passerelle/shared/scoring';
import type { Db } from '../../db/database.ts';
import type { AuditActor, AuditService } from '../audit/service.ts';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../lib/errors.ts';
import { assertTraineeInScope } from './scope.ts';
import type { Scorecard, Scorecards } from './scorecards.ts';
import type { EvaluationRow, EvaluationSubject } from './tables.ts';

/** 422 for answers that leave criteria unanswered, naming them as the grid does (details keep the ids). */
export function incompleteAnswers(grid: ScorecardGrid, missing: string[]): AppError {
  const labels = new Map(grid.competencies.flatMap((c) => c.criteria.map((k) => [k.id, k.label] as const)));
  return new AppError(422, 'EVALUATION_INCOMPLETE', `Critères sans réponse : ${missing.map((id) => labels.get(id) ?? id).join(' ; ')}.`, { missing });
}

export interface SubjectRef {
  attemptId?: string | undefined;
  recordingId?: string | undefined;
  practiceCallId?: string | undefined;
}

/** Who was assessed, when, and for how long: everything an evaluation keeps about a call. */
export interface ResolvedSubject {
  traineeId: string;
  subject: EvaluationSubject;
  attemptId: string | null;
  recordingId: string | null;
  practiceCallId: string | null;
  isPractice: boolean;
  campaignType: string | null;
  callAt: Date;
  callDurationS: number | null;
}

export interface Notifier {
  evaluationFinal(traineeId: string, evaluationId: string): void;
}

const DAY_MS = 86_400_000;

export class Evaluations {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly scorecards: Scorecards,
    private readonly notifier: Notifier,
    private readonly retentionDays: number,
  ) {}

  async resolveSubject(ref: SubjectRef): Promise<ResolvedSubject> {
    if (ref.practiceCallId) {
      const p = await this.db.selectFrom('practiceCalls').selectAll().where('id', '=', ref.practiceCallId).executeTakeFirst();
      if (!p) throw notFound('Mise en situation');
      return {
        traineeId: p.traineeId,
        subject: 'practice',
        attemptId: null,
        recordingId: p.recordingId,
        practiceCallId: p.id,
        isPractice: true,
        campaignType: p.scenario === 'difficult_customer' ? null : p.scenario,
        callAt: p.startedAt,
        callDurationS: p.endedAt ? Math.round((p.endedAt.getTime() - p.startedAt.getTime()) / 1000) : null,
      };
    }
    let attemptId = ref.attemptId ?? null;
    let recording: { id: string; durationMs: number } | null = null;
    if (ref.recordingId) {
      const r = await this.db.selectFrom('recordings').select(['id', 'attemptId', 'practiceCallId', 'durationMs']).where('id', '=', ref.recordingId).executeTakeFirst();
      if (!r) throw notFound('Enregistrement');
      // A practice call's recording is scored as that practice call.
      if (r.practiceCallId) return { ...(await this.resolveSubject({ practiceCallId: r.practiceCallId })), recordingId: r.id };
      attemptId = r.attemptId;
      recording = r;
    }
    const a = await this.db
      .selectFrom('callAttempts')
      .innerJoin('campaigns', 'campaigns.id', 'callAttempts.campaignId')
      .select(['callAttempts.id', 'callAttempts.agentUserId', 'callAttempts.offeredAt', 'callAttempts.dialedAt', 'callAttempts.answeredAt', 'callAttempts.talkSeconds', 'campaigns.type'])
      .where('callAttempts.id', '=', attemptId!)
      .executeTakeFirst();
    if (!a) throw notFound('Appel');
    return {
      traineeId: a.agentUserId,
      subject: recording ? 'recording' : 'call',
      attemptId: a.id,
      recordingId: recording?.id ?? null,
      practiceCallId: null,
      isPractice: false,
      campaignType: a.type,
      callAt: a.answeredAt ?? a.dialedAt ?? a.offeredAt,
      callDurationS: recording ? Math.round(recording.durationMs / 1000) : a.talkSeconds,
    };
  }

  /** A new draft by the actor (inside a calibration session when `calibrationSessionId`); `siteId`: the caller's site scope. */
  async create(actor: AuditActor & { userId: string }, input: SubjectRef & { scorecardId?: string | undefined; calibrationSessionId?: string }, siteId: string | null = null): Promise<string> {
    const scorecard = input.scorecardId ? await this.scorecards.get(input.scorecardId) : await this.scorecards.defaultLatest();
    const s = await this.resolveSubject(input);
    await assertTraineeInScope(this.db, siteId, s.traineeId);
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('evaluations')
        .values({
          scorecardId: scorecard.id,
          traineeId: s.traineeId,
          evaluatorId: actor.userId,
          subject: s.subject,
          attemptId: s.attemptId,
          recordingId: s.recordingId,
          practiceCallId: s.practiceCallId,
          calibrationSessionId: input.calibrationSessionId ?? null,
          isPractice: s.isPractice,
          campaignType: s.campaignType,
          callAt: s.callAt,
          callDurationS: s.callDurationS,
          answers: '{}',
          commentFields: '{}',
          updatedAt: new Date(),
          deleteAfter: new Date(Date.now() + this.retentionDays * DAY_MS),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await this.audit.record(
        actor,
        { action: 'evaluation.create', targetType: 'evaluation', targetId: row.id, details: { traineeId: s.traineeId, subject: s.subject, scorecardId: scorecard.id, calibrationSessionId: input.calibrationSessionId ?? null } },
        trx,
      );
      return row.id;
    });
  }

  async row(id: string): Promise<EvaluationRow> {
    const row = await this.db.selectFrom('evaluations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Évaluation');
    return row;
  }

  /**
   * Blind calibration: a trainer sees another trainer's calibration scoring only once they have
   * submitted their own in the same session, or once the session is closed.
   */
  async assertStaffCanView(userId: string, ev: EvaluationRow): Promise<void> {
    if (!ev.calibrationSessionId || ev.evaluatorId === userId) return;
    const session = await this.db.selectFrom('calibrationSessions').select('status').where('id', '=', ev.calibrationSessionId).executeTakeFirstOrThrow();
    if (session.status === 'closed') return;
    const mine = await this.db
      .selectFrom('evaluations')
      .select('status')
      .where('calibrationSessionId', '=', ev.calibrationSessionId)
      .where('evaluatorId', '=', userId)
      .executeTakeFirst();
    if (mine?.status !== 'final') throw forbidden('Notation à l’aveugle : soumettez d’abord votre propre notation.');
  }

  /** The recording a player should load: the evaluation's, else the attempt's, else the practice call's. */
  async recordingOf(ev: Pick<EvaluationRow, 'recordingId' | 'attemptId' | 'practiceCallId'>) {
    const base = this.db.selectFrom('recordings').select(['id', 'durationMs', 'peaks', 'path', 'campaignId', 'sha256', 'mimeType']);
    if (ev.recordingId) return (await base.where('id', '=', ev.recordingId).executeTakeFirst()) ?? null;
    if (ev.attemptId) return (await base.where('attemptId', '=', ev.attemptId).orderBy('createdAt', 'desc').limit(1).executeTakeFirst()) ?? null;
    if (ev.practiceCallId) {
      return (await base.where('id', '=', this.db.selectFrom('practiceCalls').select('recordingId').where('id', '=', ev.practiceCallId)).executeTakeFirst()) ?? null;
    }
    return null;
  }

  async detail(id: string) {
    const ev = await this.row(id);
    const [scorecard, names, comments, recording] = await Promise.all([
      this.scorecards.get(ev.scorecardId),
      this.db
        .selectFrom('users')
        .select(['id', 'displayName'])
        .where('id', 'in', [ev.traineeId, ev.evaluatorId])
        .execute(),
      this.db
        .selectFrom('evaluationComments')
        .innerJoin('users', 'users.id', 'evaluationComments.authorId')
        .select(['evaluationComments.id', 'atMs', 'criterionId', 'body', 'users.displayName as authorName', 'evaluationComments.createdAt'])
        .where('evaluationId', '=', id)
        .orderBy(sql`at_ms nulls first`)
        .orderBy('evaluationComments.createdAt')
        .execute(),
      this.recordingOf(ev),
    ]);
    const name = (uid: string) => names.find((n) => n.id === uid)?.displayName ?? '';
    const result = ev.result ?? scoreEvaluation(scorecard.grid, ev.answers);
    return {
      ...ev,
      scorecardName: scorecard.name,
      scorecardVersion: scorecard.version,
      traineeName: name(ev.traineeId),
      evaluatorName: name(ev.evaluatorId),
      result,
      overall: result.overall,
      capped: result.capped,
      grid: scorecard.grid,
      comments,
      recording: recording ? { id: recording.id, durationMs: recording.durationMs, peaks: recording.peaks } : null,
    };
  }

  async list(filter: { traineeId?: string | undefined; status?: 'draft' | 'final' | undefined; practice?: boolean | undefined; siteId?: string | null; limit: number }) {
    let q = this.db
      .selectFrom('evaluations as e')
      .innerJoin('scorecards as s', 's.id', 'e.scorecardId')
      .innerJoin('users as t', 't.id', 'e.traineeId')
      .innerJoin('users as v', 'v.id', 'e.evaluatorId')
      .select([
        'e.id',
        'e.scorecardId',
        's.name as scorecardName',
        's.version as scorecardVersion',
        'e.traineeId',
        't.displayName as traineeName',
        'e.evaluatorId',
        'v.displayName as evaluatorName',
        'e.subject',
        'e.isPractice',
        'e.campaignType',
        'e.calibrationSessionId',
        'e.callAt',
        'e.callDurationS',
        'e.status',
        'e.overall',
        sql<boolean>`coalesce((e.result->>'capped')::boolean, false)`.as('capped'),
        'e.finalizedAt',
      ])
      // Calibration scorings are reached through their session (blind until submitted).
      .where('e.calibrationSessionId', 'is', null);
    if (filter.traineeId) q = q.where('e.traineeId', '=', filter.traineeId);
    if (filter.siteId) q = q.where('t.siteId', '=', filter.siteId);
    if (filter.status) q = q.where('e.status', '=', filter.status);
    if (filter.practice !== undefined) q = q.where('e.isPractice', '=', filter.practice);
    return q.orderBy('e.callAt', 'desc').limit(filter.limit).execute();
  }

  private async editableDraft(userId: string, id: string): Promise<EvaluationRow> {
    const ev = await this.row(id);
    if (ev.evaluatorId !== userId) throw forbidden('Seul l’évaluateur peut modifier cette évaluation.');
    if (ev.status !== 'draft') throw conflict('EVALUATION_FINAL', 'Cette évaluation est définitive et ne peut plus être modifiée.');
    return ev;
  }

  async update(
    actor: AuditActor & { userId: string },
    id: string,
    patch: { answers?: Answers | undefined; commentFields?: Record<string, string> | undefined; shareExcerpt?: boolean | undefined; excerptStartMs?: number | null | undefined; excerptEndMs?: number | null | undefined },
  ): Promise<void> {
    const ev = await this.editableDraft(actor.userId, id);
    const scorecard = await this.scorecards.get(ev.scorecardId);
    if (patch.answers) {
      const problems = answerProblems(scorecard.grid, patch.answers);
      if (problems.length > 0) throw badRequest('INVALID_ANSWERS', problems.join(' '), { problems });
    }
    if (patch.commentFields) {
      const known = new Set(scorecard.grid.commentFields.map((f) => f.id));
      const unknown = Object.keys(patch.commentFields).filter((k) => !known.has(k));
      if (unknown.length > 0) throw badRequest('INVALID_COMMENT_FIELDS', `Champs de commentaire inconnus : ${unknown.join(', ')}.`);
    }
    const start = patch.excerptStartMs === undefined ? ev.excerptStartMs : patch.excerptStartMs;
    const end = patch.excerptEndMs === undefined ? ev.excerptEndMs : patch.excerptEndMs;
    if ((start === null) !== (end === null) || (start !== null && end !== null && end <= start)) {
      throw badRequest('INVALID_EXCERPT', 'L’extrait doit avoir un début et une fin, la fin après le début.');
    }
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('evaluations')
        .set({
          ...(patch.answers ? { answers: JSON.stringify(patch.answers) } : {}),
          ...(patch.commentFields ? { commentFields: JSON.stringify(patch.commentFields) } : {}),
          ...(patch.shareExcerpt !== undefined ? { shareExcerpt: patch.shareExcerpt } : {}),
          excerptStartMs: start,
          excerptEndMs: end,
          updatedAt: new Date(),
        })
        .where('id', '=', id)
        .execute();
      await this.audit.record(actor, { action: 'evaluation.update', targetType: 'evaluation', targetId: id, details: { fields: Object.keys(patch) } }, trx);
    });
  }

  async addComment(actor: AuditActor & { userId: string }, id: string, c: { atMs: number | null; criterionId: string | null; body: string }): Promise<string> {
    const ev = await this.editableDraft(actor.userId, id);
    if (c.criterionId) {
      const scorecard = await this.scorecards.get(ev.scorecardId);
      if (!scorecard.grid.competencies.some((k) => k.criteria.some((x) => x.id === c.criterionId))) throw badRequest('UNKNOWN_CRITERION', 'Critère inconnu.');
    }
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.insertInto('evaluationComments').values({ evaluationId: id, authorId: actor.userId, atMs: c.atMs, criterionId: c.criterionId, body: c.body }).returning('id').executeTakeFirstOrThrow();
      await this.audit.record(actor, { action: 'evaluation.comment_add', targetType: 'evaluation', targetId: id, details: { commentId: row.id, atMs: c.atMs } }, trx);
      return row.id;
    });
  }

  async deleteComment(actor: AuditActor & { userId: string }, id: string, commentId: string): Promise<void> {
    await this.editableDraft(actor.userId, id);
    await this.db.transaction().execute(async (trx) => {
      const gone = await trx.deleteFrom('evaluationComments').where('id', '=', commentId).where('evaluationId', '=', id).executeTakeFirst();
      if (gone.numDeletedRows === 0n) throw notFound('Commentaire');
      await this.audit.record(actor, { action: 'evaluation.comment_delete', targetType: 'evaluation', targetId: id, details: { commentId } }, trx);
    });
  }

  /** Scores the answers for good, freezes the result, and tells the trainee (not for calibration). */
  async finalize(actor: AuditActor & { userId: string }, id: string): Promise<EvaluationResult> {
    const ev = await this.editableDraft(actor.userId, id);
    const scorecard: Scorecard = await this.scorecards.get(ev.scorecardId);
    const result = scoreEvaluation(scorecard.grid, ev.answers);
    if (!result.complete) {
      throw incompleteAnswers(scorecard.grid, result.missing);
    }
    const notify = !ev.calibrationSessionId;
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('evaluations')
        .set({ status: 'final', result: JSON.stringify(result), overall: result.overall, finalizedAt: new Date(), updatedAt: new Date() })
        .where('id', '=', id)
        .where('status', '=', 'draft')
        .execute();
      if (notify) await trx.insertInto('assessmentNotifications').values({ userId: ev.traineeId, kind: 'evaluation.final', evaluationId: id }).execute();
      await this.audit.record(
        actor,
        { action: 'evaluation.finalize', targetType: 'evaluation', targetId: id, details: { overall: result.overall, capped: result.capped, criticalFailures: result.criticalFailures } },
        trx,
      );
    });
    if (notify) this.notifier.evaluationFinal(ev.traineeId, id);
    return result;
  }
}
