import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Answers, EvaluationResult, ScorecardGrid } from '@passerelle/shared/scoring';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;
/** `date` columns: read as 'YYYY-MM-DD' strings (see the pg type parser in database.ts). */
type DateOnly = ColumnType<Date | string, string, string>;

export type EvaluationSubject = 'call' | 'recording' | 'practice';
export type EvaluationStatus = 'draft' | 'final';
export type ReviewKind = 'initial' | 'follow_up' | 'final';
export type Scenario = 'appointment' | 'loyalty' | 'after_sales' | 'difficult_customer';

export interface ScorecardsTable {
  id: Generated<string>;
  familyId: string;
  version: number;
  name: string;
  description: Generated<string>;
  grid: Json<ScorecardGrid>;
  isDefault: Generated<boolean>;
  basedOnId: string | null;
  createdBy: string | null;
  createdAt: CreatedAt;
}

/**
 * `recorded`: written by hand (no call through the platform). A live practice call goes
 * invited → accepted (token issued) → calling (token resolved) → in_call → ended, or stops at
 * declined / cancelled / expired / failed (never answered).
 */
export type PracticeStatus = 'recorded' | 'invited' | 'declined' | 'cancelled' | 'expired' | 'accepted' | 'calling' | 'in_call' | 'ended' | 'failed';

export interface PracticeCallsTable {
  id: Generated<string>;
  traineeId: string;
  trainerId: string;
  scenario: Scenario;
  recordingId: string | null;
  startedAt: Generated<Date>;
  endedAt: Timestamp | null;
  notes: Generated<string>;
  deleteAfter: Timestamp;
  status: Generated<PracticeStatus>;
  inviteExpiresAt: Timestamp | null;
  /** SHA-256 of the practice token (the token itself is only given to the trainee). */
  tokenHash: string | null;
  tokenExpiresAt: Timestamp | null;
  tokenUsedAt: Timestamp | null;
  callId: string | null;
  answeredAt: Timestamp | null;
  sipCode: number | null;
  cause: string | null;
  hungUpBy: string | null;
  recordingStatus: 'processing' | 'stored' | 'none' | 'failed' | null;
}

export interface CalibrationSessionsTable {
  id: Generated<string>;
  title: string;
  scorecardId: string;
  traineeId: string;
  attemptId: string | null;
  recordingId: string | null;
  practiceCallId: string | null;
  createdBy: string;
  status: Generated<'open' | 'closed'>;
  referenceAnswers: Json<Answers> | null;
  referenceResult: Json<EvaluationResult> | null;
  agreement: Json<CalibrationAgreement> | null;
  createdAt: CreatedAt;
  closedAt: Timestamp | null;
  deleteAfter: Timestamp;
}

export interface CalibrationAgreement {
  raters: number;
  exactAgreement: number | null;
  krippendorffAlphaOrdinal: number | null;
}

export interface EvaluationsTable {
  id: Generated<string>;
  scorecardId: string;
  traineeId: string;
  evaluatorId: string;
  subject: EvaluationSubject;
  attemptId: string | null;
  recordingId: string | null;
  practiceCallId: string | null;
  calibrationSessionId: string | null;
  isPractice: Generated<boolean>;
  campaignType: string | null;
  callAt: Timestamp;
  callDurationS: number | null;
  status: Generated<EvaluationStatus>;
  answers: Json<Answers>;
  commentFields: Json<Record<string, string>>;
  result: Json<EvaluationResult> | null;
  overall: number | null;
  shareExcerpt: Generated<boolean>;
  excerptStartMs: number | null;
  excerptEndMs: number | null;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
  finalizedAt: Timestamp | null;
  deleteAfter: Timestamp;
}

export interface EvaluationCommentsTable {
  id: Generated<string>;
  evaluationId: string;
  authorId: string;
  atMs: number | null;
  criterionId: string | null;
  body: string;
  createdAt: CreatedAt;
}

export interface ReviewsTable {
  id: Generated<string>;
  traineeId: string;
  trainerId: string;
  kind: ReviewKind;
  reviewDate: DateOnly;
  scorecardId: string;
  competencyLevels: Json<Record<string, number>>;
  objectives: Json<string[]>;
  comments: Generated<string>;
  nextReviewDate: DateOnly | null;
  createdAt: CreatedAt;
  deleteAfter: Timestamp;
}

export interface ReviewEvaluationsTable {
  reviewId: string;
  evaluationId: string;
}

export interface AssessmentNotificationsTable {
  id: Generated<string>;
  userId: string;
  kind: string;
  evaluationId: string;
  createdAt: CreatedAt;
  readAt: Timestamp | null;
}

export interface AssessmentTables {
  scorecards: ScorecardsTable;
  practiceCalls: PracticeCallsTable;
  calibrationSessions: CalibrationSessionsTable;
  evaluations: EvaluationsTable;
  evaluationComments: EvaluationCommentsTable;
  reviews: ReviewsTable;
  reviewEvaluations: ReviewEvaluationsTable;
  assessmentNotifications: AssessmentNotificationsTable;
}

export type ScorecardRow = Selectable<ScorecardsTable>;
export type EvaluationRow = Selectable<EvaluationsTable>;
