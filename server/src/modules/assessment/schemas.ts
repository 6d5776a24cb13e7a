import { z } from 'zod';
import { scorecardGridSchema } from '@passerelle/shared/scoring-schema';

export const scenarios = ['appointment', 'loyalty', 'after_sales', 'difficult_customer'] as const;
export const reviewKinds = ['initial', 'follow_up', 'final'] as const;
export const campaignTypeFilter = z.enum(['appointment', 'loyalty', 'after_sales', 'practice']);

export const answersSchema = z.record(z.string(), z.union([z.number().int(), z.literal('na'), z.null()]));
const commentFieldsSchema = z.record(z.string(), z.string().max(4000));

export const evaluationResultSchema = z.object({
  criteria: z.array(z.object({ id: z.string(), competencyId: z.string(), value: z.number().nullable(), na: z.boolean(), criticalFailure: z.boolean() })),
  competencies: z.array(
    z.object({
      id: z.string(),
      block: z.string(),
      score: z.number().nullable(),
      rawScore: z.number().nullable(),
      percent: z.number().nullable(),
      capped: z.boolean(),
      scored: z.number(),
      total: z.number(),
    }),
  ),
  overall: z.number().nullable(),
  rawOverall: z.number().nullable(),
  overallPercent: z.number().nullable(),
  capped: z.boolean(),
  criticalFailures: z.array(z.string()),
  passed: z.boolean().nullable(),
  complete: z.boolean(),
  missing: z.array(z.string()),
});

export const scorecardSummary = z.object({
  id: z.uuid(),
  familyId: z.uuid(),
  version: z.number(),
  name: z.string(),
  description: z.string(),
  isDefault: z.boolean(),
  basedOnId: z.uuid().nullable(),
  createdAt: z.date(),
  /** The newest version of its family. */
  latest: z.boolean(),
});
export const scorecardDetail = scorecardSummary.extend({ grid: scorecardGridSchema });

export const newScorecardBody = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).default(''),
  grid: scorecardGridSchema,
});
export const copyScorecardBody = newScorecardBody.extend({
  /** true: a new version of the same grid; false: a new grid (version 1) based on this one. */
  sameFamily: z.boolean().default(true),
});

export const commentSchema = z.object({
  id: z.uuid(),
  atMs: z.number().nullable(),
  criterionId: z.string().nullable(),
  body: z.string(),
  authorName: z.string(),
  createdAt: z.date(),
});

export const recordingView = z.object({ id: z.uuid(), durationMs: z.number(), peaks: z.array(z.number()) });

export const evaluationSummary = z.object({
  id: z.uuid(),
  scorecardId: z.uuid(),
  scorecardName: z.string(),
  scorecardVersion: z.number(),
  traineeId: z.uuid(),
  traineeName: z.string(),
  evaluatorId: z.uuid(),
  evaluatorName: z.string(),
  subject: z.enum(['call', 'recording', 'practice']),
  isPractice: z.boolean(),
  campaignType: z.string().nullable(),
  calibrationSessionId: z.uuid().nullable(),
  callAt: z.date(),
  callDurationS: z.number().nullable(),
  status: z.enum(['draft', 'final']),
  overall: z.number().nullable(),
  capped: z.boolean(),
  finalizedAt: z.date().nullable(),
});

export const evaluationDetail = evaluationSummary.extend({
  attemptId: z.uuid().nullable(),
  practiceCallId: z.uuid().nullable(),
  answers: answersSchema,
  commentFields: commentFieldsSchema,
  result: evaluationResultSchema,
  shareExcerpt: z.boolean(),
  excerptStartMs: z.number().nullable(),
  excerptEndMs: z.number().nullable(),
  grid: scorecardGridSchema,
  comments: z.array(commentSchema),
  recording: recordingView.nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

/** What a trainee sees of their own final evaluation: no attempt or evaluator ids. */
export const myEvaluation = evaluationDetail
  .omit({ attemptId: true, practiceCallId: true, evaluatorId: true, calibrationSessionId: true, recording: true, createdAt: true, updatedAt: true })
  .extend({ excerpt: z.object({ startMs: z.number(), endMs: z.number(), peaks: z.array(z.number()) }).nullable() });

/** The call a scoring is about (an evaluation, a calibration session); the grid is the current one unless given. */
const scoredCallFields = {
  scorecardId: z.uuid().optional(),
  attemptId: z.uuid().optional(),
  recordingId: z.uuid().optional(),
  practiceCallId: z.uuid().optional(),
};
/** Exactly one of a platform call, a recording or a practice call. */
const oneScoredCall = [
  (b: { attemptId?: string; recordingId?: string; practiceCallId?: string }) => [b.attemptId, b.recordingId, b.practiceCallId].filter(Boolean).length === 1,
  { message: 'Indiquer exactement un appel, un enregistrement ou une mise en situation.' },
] as const;

export const newEvaluationBody = z.object(scoredCallFields).refine(...oneScoredCall);

export const updateEvaluationBody = z.object({
  answers: answersSchema.optional(),
  commentFields: commentFieldsSchema.optional(),
  shareExcerpt: z.boolean().optional(),
  excerptStartMs: z.number().int().min(0).nullable().optional(),
  excerptEndMs: z.number().int().min(1).nullable().optional(),
});

export const newCommentBody = z.object({
  atMs: z.number().int().min(0).nullable().default(null),
  criterionId: z.string().max(60).nullable().default(null),
  body: z.string().trim().min(1).max(4000),
});

export const evaluationListQuery = z.object({
  traineeId: z.uuid().optional(),
  status: z.enum(['draft', 'final']).optional(),
  practice: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const progressQuery = z.object({
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  campaignType: campaignTypeFilter.optional(),
});

const seriesSummary = z.object({
  count: z.number(),
  average: z.number().nullable(),
  trendPer30Days: z.number().nullable(),
  first: z.number().nullable(),
  last: z.number().nullable(),
});

export const progressReply = z.object({
  traineeId: z.uuid(),
  traineeName: z.string(),
  scorecardId: z.uuid(),
  evaluated: z.number(),
  overall: seriesSummary,
  competencies: z.array(seriesSummary.extend({ id: z.string(), label: z.string(), block: z.string() })),
  strengths: z.array(z.string()),
  gaps: z.array(z.string()),
  points: z.array(
    z.object({
      evaluationId: z.uuid(),
      at: z.date(),
      overall: z.number().nullable(),
      isPractice: z.boolean(),
      competencies: z.record(z.string(), z.number().nullable()),
    }),
  ),
  nextObjectives: z.array(z.string()),
  nextReviewDate: z.string().nullable(),
});

export const matrixReply = z.object({
  scorecardId: z.uuid(),
  competencies: z.array(z.object({ id: z.string(), label: z.string(), block: z.string() })),
  rows: z.array(
    z.object({
      traineeId: z.uuid(),
      traineeName: z.string(),
      evaluated: z.number(),
      overall: z.number().nullable(),
      trendPer30Days: z.number().nullable(),
      cells: z.record(z.string(), z.number().nullable()),
    }),
  ),
});

export const reviewBody = z.object({
  traineeId: z.uuid(),
  kind: z.enum(reviewKinds),
  reviewDate: z.iso.date(),
  scorecardId: z.uuid().optional(),
  competencyLevels: z.record(z.string(), z.number().int()),
  objectives: z.array(z.string().trim().min(1).max(500)).max(20).default([]),
  comments: z.string().max(8000).default(''),
  evaluationIds: z.array(z.uuid()).max(200).default([]),
  nextReviewDate: z.iso.date().nullable().default(null),
});

export const reviewReply = z.object({
  id: z.uuid(),
  traineeId: z.uuid(),
  traineeName: z.string(),
  trainerId: z.uuid(),
  trainerName: z.string(),
  kind: z.enum(reviewKinds),
  reviewDate: z.string(),
  scorecardId: z.uuid(),
  competencyLevels: z.record(z.string(), z.number()),
  objectives: z.array(z.string()),
  comments: z.string(),
  evaluationIds: z.array(z.uuid()),
  nextReviewDate: z.string().nullable(),
  createdAt: z.date(),
});

export const reminderReply = z.object({
  reminders: z.array(
    z.object({
      traineeId: z.uuid(),
      traineeName: z.string(),
      lastReviewId: z.uuid().nullable(),
      lastReviewDate: z.string().nullable(),
      nextReviewDate: z.string().nullable(),
      status: z.enum(['overdue', 'due_soon', 'no_review']),
    }),
  ),
});

export const practiceCallBody = z.object({
  traineeId: z.uuid(),
  scenario: z.enum(scenarios),
  recordingId: z.uuid().nullable().default(null),
  startedAt: z.coerce.date().optional(),
  endedAt: z.coerce.date().nullable().default(null),
  notes: z.string().max(4000).default(''),
});
export const practiceCallPatch = z.object({
  recordingId: z.uuid().nullable().optional(),
  endedAt: z.coerce.date().nullable().optional(),
  notes: z.string().max(4000).optional(),
});
export const practiceCallReply = z.object({
  id: z.uuid(),
  traineeId: z.uuid(),
  traineeName: z.string(),
  trainerId: z.uuid(),
  scenario: z.enum(scenarios),
  recordingId: z.uuid().nullable(),
  startedAt: z.date(),
  endedAt: z.date().nullable(),
  notes: z.string(),
  /** Live practice calls: invited → accepted → calling → in_call → ended (or declined, cancelled, expired, failed); `recorded` when written by hand. */
  status: z.enum(['recorded', 'invited', 'declined', 'cancelled', 'expired', 'accepted', 'calling', 'in_call', 'ended', 'failed']),
  inviteExpiresAt: z.date().nullable(),
  answeredAt: z.date().nullable(),
  hungUpBy: z.string().nullable(),
  recordingStatus: z.enum(['processing', 'stored', 'none', 'failed']).nullable(),
});
export const practiceInviteBody = z.object({
  traineeId: z.uuid(),
  scenario: z.enum(scenarios),
  notes: z.string().max(4000).default(''),
});
export const practiceInvitation = z.object({
  practiceCallId: z.uuid(),
  trainerName: z.string(),
  expiresAt: z.string(),
  scenario: z.object({ id: z.string(), title: z.string(), context: z.string(), objectives: z.array(z.string()) }),
});
export const scenarioCard = z.object({
  id: z.enum(scenarios),
  title: z.string(),
  context: z.string(),
  customerRole: z.string(),
  objectives: z.array(z.string()),
  pitfalls: z.array(z.string()),
});

export const calibrationBody = z.object({ title: z.string().trim().min(1).max(200), ...scoredCallFields }).refine(...oneScoredCall);

export const calibrationReply = z.object({
  id: z.uuid(),
  title: z.string(),
  scorecardId: z.uuid(),
  traineeId: z.uuid(),
  status: z.enum(['open', 'closed']),
  createdBy: z.uuid(),
  createdAt: z.date(),
  closedAt: z.date().nullable(),
  recording: recordingView.nullable(),
  /** The caller's own evaluation in this session, if started. */
  myEvaluationId: z.uuid().nullable(),
  /** False until the caller has submitted (blind scoring). */
  revealed: z.boolean(),
  participants: z.array(z.object({ evaluatorId: z.uuid(), evaluatorName: z.string(), submitted: z.boolean() })),
  ratings: z.array(z.object({ evaluatorId: z.uuid(), evaluatorName: z.string(), answers: answersSchema, overall: z.number().nullable() })),
  spread: z.array(
    z.object({
      criterionId: z.string(),
      n: z.number(),
      min: z.number().nullable(),
      max: z.number().nullable(),
      mean: z.number().nullable(),
      stddev: z.number().nullable(),
      range: z.number().nullable(),
    }),
  ),
  agreement: z.object({ raters: z.number(), exactAgreement: z.number().nullable(), krippendorffAlphaOrdinal: z.number().nullable() }).nullable(),
  reference: z.object({ answers: answersSchema, result: evaluationResultSchema }).nullable(),
});

export const notificationReply = z.object({
  notifications: z.array(z.object({ id: z.uuid(), kind: z.string(), evaluationId: z.uuid(), createdAt: z.date(), readAt: z.date().nullable() })),
});

export const portfolioQuery = z.object({
  /** Comma-separated evaluation ids to include; all final ones when absent. */
  evaluationIds: z.string().optional(),
});

export const idParams = z.object({ id: z.uuid() });
export const traineeParams = z.object({ traineeId: z.uuid() });
