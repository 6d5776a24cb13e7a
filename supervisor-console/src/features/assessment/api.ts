import type { ApiClient } from '@kit/http.ts';
import type { Answers, CompetencyProgress, EvaluationResult, ScorecardGrid, SeriesSummary, Spread } from '@passerelle/shared/scoring';

export type { SeriesSummary, Spread };

/** Shapes of the assessment API (server/src/modules/assessment/schemas.ts), as JSON. */
export interface EvaluationSummary {
  id: string;
  scorecardId: string;
  scorecardName: string;
  scorecardVersion: number;
  traineeId: string;
  traineeName: string;
  evaluatorId: string;
  evaluatorName: string;
  subject: 'call' | 'recording' | 'practice';
  isPractice: boolean;
  campaignType: string | null;
  calibrationSessionId: string | null;
  callAt: string;
  callDurationS: number | null;
  status: 'draft' | 'final';
  overall: number | null;
  capped: boolean;
  finalizedAt: string | null;
}

/** A recorded call a trainer may score (GET /api/assessment/recorded-calls). */
export interface RecordedCall {
  attemptId: string;
  traineeId: string;
  traineeName: string;
  callAt: string;
  durationMs: number;
  campaignType: string;
  outcome: string | null;
  evaluations: number;
}

export interface EvaluationComment {
  id: string;
  atMs: number | null;
  criterionId: string | null;
  body: string;
  authorName: string;
  createdAt: string;
}

export interface EvaluationDetail extends EvaluationSummary {
  attemptId: string | null;
  practiceCallId: string | null;
  answers: Answers;
  commentFields: Record<string, string>;
  result: EvaluationResult;
  shareExcerpt: boolean;
  excerptStartMs: number | null;
  excerptEndMs: number | null;
  grid: ScorecardGrid;
  comments: EvaluationComment[];
  recording: { id: string; durationMs: number; peaks: number[] } | null;
}

export interface Progress {
  traineeId: string;
  traineeName: string;
  scorecardId: string;
  evaluated: number;
  overall: SeriesSummary;
  competencies: CompetencyProgress[];
  strengths: string[];
  gaps: string[];
  points: { evaluationId: string; at: string; overall: number | null; isPractice: boolean; competencies: Record<string, number | null> }[];
  nextObjectives: string[];
  nextReviewDate: string | null;
}

export interface Matrix {
  scorecardId: string;
  competencies: { id: string; label: string; block: string }[];
  rows: { traineeId: string; traineeName: string; evaluated: number; overall: number | null; trendPer30Days: number | null; cells: Record<string, number | null> }[];
}

export interface Review {
  id: string;
  traineeId: string;
  traineeName: string;
  trainerId: string;
  trainerName: string;
  kind: 'initial' | 'follow_up' | 'final';
  reviewDate: string;
  scorecardId: string;
  competencyLevels: Record<string, number>;
  objectives: string[];
  comments: string;
  evaluationIds: string[];
  nextReviewDate: string | null;
  createdAt: string;
}

export interface Reminder {
  traineeId: string;
  traineeName: string;
  lastReviewId: string | null;
  lastReviewDate: string | null;
  nextReviewDate: string | null;
  status: 'overdue' | 'due_soon' | 'no_review';
}

export interface ScorecardSummary {
  id: string;
  familyId: string;
  version: number;
  name: string;
  description: string;
  isDefault: boolean;
  latest: boolean;
  createdAt: string;
}

export interface Trainee {
  id: string;
  displayName: string;
  active: boolean;
}

export interface CalibrationSession {
  id: string;
  title: string;
  scorecardId: string;
  traineeId: string;
  status: 'open' | 'closed';
  createdBy: string;
  createdAt: string;
  closedAt: string | null;
  recording: { id: string; durationMs: number; peaks: number[] } | null;
  myEvaluationId: string | null;
  revealed: boolean;
  participants: { evaluatorId: string; evaluatorName: string; submitted: boolean }[];
  ratings: { evaluatorId: string; evaluatorName: string; answers: Answers; overall: number | null }[];
  spread: Spread[];
  agreement: { raters: number; exactAgreement: number | null; krippendorffAlphaOrdinal: number | null } | null;
  reference: { answers: Answers; result: EvaluationResult } | null;
}

export interface ScenarioCard {
  id: 'appointment' | 'loyalty' | 'after_sales' | 'difficult_customer';
  title: string;
  context: string;
  customerRole: string;
  objectives: string[];
  pitfalls: string[];
}

export interface PracticeCall {
  id: string;
  traineeId: string;
  traineeName: string;
  trainerId: string;
  scenario: ScenarioCard['id'];
  recordingId: string | null;
  startedAt: string;
  endedAt: string | null;
  notes: string;
  status: PracticeStatus;
  inviteExpiresAt: string | null;
  answeredAt: string | null;
  hungUpBy: string | null;
  recordingStatus: 'processing' | 'stored' | 'none' | 'failed' | null;
}

/** `recorded`: written by hand; the others follow a live practice call through the platform. */
export type PracticeStatus = 'recorded' | 'invited' | 'declined' | 'cancelled' | 'expired' | 'accepted' | 'calling' | 'in_call' | 'ended' | 'failed';

export type ProgressFilter = { from?: string; to?: string; campaignType?: string };

export const assessmentApi = (api: ApiClient) => ({
  trainees: () => api.get<{ items: Trainee[] }>('/api/trainees').then((r) => r.items),
  scorecards: () => api.get<{ scorecards: ScorecardSummary[] }>('/api/assessment/scorecards').then((r) => r.scorecards),
  scorecard: (id: string) => api.get<ScorecardSummary & { grid: ScorecardGrid }>(`/api/assessment/scorecards/${id}`),
  allScorecards: () => api.get<{ scorecards: ScorecardSummary[] }>('/api/assessment/scorecards', { all: 'true' }).then((r) => r.scorecards),
  copyScorecard: (id: string, body: { name: string; description: string; grid: ScorecardGrid; sameFamily: boolean }) => api.post<ScorecardSummary & { grid: ScorecardGrid }>(`/api/assessment/scorecards/${id}/copy`, body),
  evaluations: (q: { traineeId?: string; status?: string }) => api.get<{ evaluations: EvaluationSummary[] }>('/api/assessment/evaluations', q).then((r) => r.evaluations),
  evaluation: (id: string) => api.get<EvaluationDetail>(`/api/assessment/evaluations/${id}`),
  recordedCalls: (q: { traineeId?: string }) => api.get<{ calls: RecordedCall[] }>('/api/assessment/recorded-calls', q).then((r) => r.calls),
  create: (body: { attemptId?: string; recordingId?: string; practiceCallId?: string; scorecardId?: string }) => api.post<EvaluationDetail>('/api/assessment/evaluations', body),
  update: (id: string, body: Partial<Pick<EvaluationDetail, 'answers' | 'commentFields' | 'shareExcerpt' | 'excerptStartMs' | 'excerptEndMs'>>) =>
    api.patch<EvaluationDetail>(`/api/assessment/evaluations/${id}`, body),
  comment: (id: string, body: { atMs: number | null; criterionId: string | null; body: string }) => api.post<EvaluationDetail>(`/api/assessment/evaluations/${id}/comments`, body),
  deleteComment: (id: string, commentId: string) => api.delete(`/api/assessment/evaluations/${id}/comments/${commentId}`),
  finalize: (id: string) => api.post<EvaluationDetail>(`/api/assessment/evaluations/${id}/finalize`),
  progress: (traineeId: string, f: ProgressFilter) => api.get<Progress>(`/api/assessment/trainees/${traineeId}/progress`, f),
  matrix: (f: ProgressFilter) => api.get<Matrix>('/api/assessment/progress/matrix', f),
  reviews: (traineeId: string) => api.get<{ reviews: Review[] }>(`/api/assessment/trainees/${traineeId}/reviews`).then((r) => r.reviews),
  createReview: (body: Omit<Review, 'id' | 'traineeName' | 'trainerId' | 'trainerName' | 'scorecardId' | 'createdAt'>) => api.post<Review>('/api/assessment/reviews', body),
  calibrations: () => api.get<{ sessions: { id: string; title: string; status: 'open' | 'closed'; traineeId: string; createdAt: string; closedAt: string | null; submitted: number }[] }>('/api/assessment/calibrations').then((r) => r.sessions),
  createCalibration: (body: { title: string; recordingId?: string; attemptId?: string; practiceCallId?: string }) => api.post<CalibrationSession>('/api/assessment/calibrations', body),
  calibration: (id: string) => api.get<CalibrationSession>(`/api/assessment/calibrations/${id}`),
  joinCalibration: (id: string) => api.post<{ evaluationId: string }>(`/api/assessment/calibrations/${id}/join`),
  closeCalibration: (id: string, answers: Answers) => api.post<CalibrationSession>(`/api/assessment/calibrations/${id}/close`, { answers }),
  scenarios: () => api.get<{ scenarios: ScenarioCard[] }>('/api/assessment/scenarios').then((r) => r.scenarios),
  practiceCalls: () => api.get<{ practiceCalls: PracticeCall[] }>('/api/assessment/practice-calls').then((r) => r.practiceCalls),
  createPracticeCall: (body: { traineeId: string; scenario: string; notes: string; recordingId?: string | null }) => api.post<PracticeCall>('/api/assessment/practice-calls', body),
  updatePracticeCall: (id: string, body: { recordingId?: string | null; endedAt?: string | null; notes?: string }) => api.patch<PracticeCall>(`/api/assessment/practice-calls/${id}`, body),
  startLivePractice: (body: { traineeId: string; scenario: string; notes: string }) => api.post<PracticeCall>('/api/assessment/practice-calls/live', body),
  practiceCall: (id: string) => api.get<PracticeCall>(`/api/assessment/practice-calls/${id}`),
  cancelPractice: (id: string) => api.post<PracticeCall>(`/api/assessment/practice-calls/${id}/cancel`),
  reminders: () => api.get<{ reminders: Reminder[] }>('/api/assessment/reviews/reminders').then((r) => r.reminders),
});

/** mm:ss of a position in a recording. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** A score on the scale, French style (2,75), or a dash. */
export function scoreText(v: number | null | undefined, language: string): string {
  if (v === null || v === undefined) return '—';
  return new Intl.NumberFormat(language.startsWith('en') ? 'en-GB' : 'fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v);
}
