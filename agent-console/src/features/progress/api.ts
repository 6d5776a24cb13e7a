import type { ApiClient } from '../../kit/http.ts';

/** The trainee's own assessment data (server: GET /api/me/*), read only. */
export interface MyEvaluationSummary {
  id: string;
  callAt: string;
  callDurationS: number | null;
  isPractice: boolean;
  campaignType: string | null;
  evaluatorName: string;
  overall: number | null;
  capped: boolean;
}

export interface MyEvaluation extends MyEvaluationSummary {
  scorecardName: string;
  scorecardVersion: number;
  answers: Record<string, number | 'na' | null>;
  commentFields: Record<string, string>;
  result: {
    competencies: { id: string; block: string; score: number | null; capped: boolean }[];
    criticalFailures: string[];
    passed: boolean | null;
  };
  grid: {
    blocks: { code: string; label: string }[];
    scale: { value: number; label: string }[];
    competencies: { id: string; block: string; label: string; criteria: { id: string; label: string; critical: boolean }[] }[];
    commentFields: { id: string; label: string }[];
  };
  comments: { id: string; atMs: number | null; criterionId: string | null; body: string; authorName: string }[];
  excerpt: { startMs: number; endMs: number; peaks: number[] } | null;
}

export interface MyProgress {
  evaluated: number;
  overall: { average: number | null; trendPer30Days: number | null; last: number | null };
  competencies: { id: string; label: string; block: string; average: number | null; count: number }[];
  strengths: string[];
  gaps: string[];
  nextObjectives: string[];
  nextReviewDate: string | null;
}

export const myApi = (api: ApiClient) => ({
  progress: () => api.get<MyProgress>('/api/me/progress'),
  evaluations: () => api.get<{ evaluations: MyEvaluationSummary[] }>('/api/me/evaluations').then((r) => r.evaluations),
  evaluation: (id: string) => api.get<MyEvaluation>(`/api/me/evaluations/${id}`),
});

export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

export function score(v: number | null | undefined, language: string): string {
  if (v === null || v === undefined) return '—';
  return new Intl.NumberFormat(language.startsWith('en') ? 'en-GB' : 'fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v);
}
