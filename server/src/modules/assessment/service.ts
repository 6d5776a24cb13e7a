import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.ts';
import type { AuditService } from '../audit/service.ts';
import { Calibrations } from './calibration.ts';
import { Evaluations, type Notifier } from './evaluations.ts';
import { Portfolios } from './portfolio.ts';
import { PracticeCalls } from './practice.ts';
import { ProgressService } from './progress.ts';
import { Reviews } from './reviews.ts';
import { Scorecards } from './scorecards.ts';

export interface Assessment {
  scorecards: Scorecards;
  evaluations: Evaluations;
  calibrations: Calibrations;
  practice: PracticeCalls;
  progress: ProgressService;
  reviews: Reviews;
  portfolios: Portfolios;
}

/** Trainee notice: a lasting row is written at finalization; this pushes it live when possible. */
export function realtimeNotifier(app: FastifyInstance): Notifier {
  return {
    evaluationFinal: (traineeId) => {
      // The realtime plugin (socket.io) may be absent (API-only instance, tests without it).
      if (!app.hasDecorator('realtime')) return;
      app.realtime.toAgent(traineeId, 'notice', { code: 'EVALUATION_FINAL', message: 'Une nouvelle évaluation de vos appels est disponible dans « Ma progression ».' });
    },
  };
}

export function createAssessment(app: FastifyInstance): Assessment {
  const { db, audit, config } = app;
  const days = config.EVALUATION_RETENTION_DAYS;
  const scorecards = new Scorecards(db);
  const evaluations = new Evaluations(db, audit, scorecards, realtimeNotifier(app), days);
  const reviews = new Reviews(db, audit, scorecards, days, config.SITE_TIME_ZONE);
  return {
    scorecards,
    evaluations,
    calibrations: new Calibrations(db, audit, scorecards, evaluations, days),
    practice: new PracticeCalls(db, audit, days),
    progress: new ProgressService(db, scorecards, config.SITE_TIME_ZONE),
    reviews,
    portfolios: new Portfolios(db, scorecards, evaluations, reviews, config.CHROMIUM_PATH, config.SITE_TIME_ZONE),
  };
}

export interface PurgeCounts {
  evaluations: number;
  reviews: number;
  calibrationSessions: number;
  practiceCalls: number;
}

/**
 * Retention (CNIL): deletes assessment records past their delete_after (evaluations, with their
 * comments and notifications; reviews; calibration sessions; practice records) in one
 * transaction with its audit entry. Returns what was deleted.
 */
export async function purgeExpiredAssessments(db: Db, audit: AuditService, now = new Date()): Promise<PurgeCounts> {
  return db.transaction().execute(async (trx) => {
    const sessions = await trx.deleteFrom('calibrationSessions').where('deleteAfter', '<=', now).returning('id').execute();
    const evaluations = await trx.deleteFrom('evaluations').where('deleteAfter', '<=', now).returning('id').execute();
    const reviews = await trx.deleteFrom('reviews').where('deleteAfter', '<=', now).returning('id').execute();
    const practice = await trx.deleteFrom('practiceCalls').where('deleteAfter', '<=', now).returning('id').execute();
    const counts = { evaluations: evaluations.length, reviews: reviews.length, calibrationSessions: sessions.length, practiceCalls: practice.length };
    if (Object.values(counts).some((n) => n > 0)) {
      await audit.record(
        { userId: null, role: 'system' },
        { action: 'assessment.retention_purge', targetType: 'evaluation', details: { ...counts, evaluationIds: evaluations.slice(0, 500).map((e) => e.id), before: now.toISOString() } },
        trx,
      );
    }
    return counts;
  });
}
