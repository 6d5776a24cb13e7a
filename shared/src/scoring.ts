/**
 * Scorecards and the arithmetic of assessment (pure, no I/O, no zod: it runs in the consoles,
 * whose CSP forbids the eval zod probes for).
 *
 * A grid: blocks (CCP1, CCP2) → competencies (weighted) → criteria (weighted, optionally
 * critical), scored on an ordinal scale (1–4 by default) whose levels carry descriptors.
 *
 * Rules (each one covered by a table test):
 * - Criterion value: a scale level, `'na'` (only when the criterion allows it), or unanswered.
 * - Competency score = Σ wᵢ·vᵢ / Σ wᵢ over its answered, non-N/A criteria (null if none).
 * - Overall = Σ W_c·S_c / Σ W_c over competencies that have a score (null if none), from the
 *   competency scores before any cap (then capped once, see below).
 * - Percent = (score − min level) / (max level − min level) × 100.
 * - Critical failure: a critical criterion scored below `grid.critical.threshold`. It caps the
 *   competency holding it AND the overall score at `grid.critical.cap` (the highest
 *   "insufficient" value, below `passScore`): min(score, cap), never raising a lower score.
 *   Critical criteria cannot be N/A.
 * - An evaluation is complete when every criterion is answered (a level or an allowed N/A).
 */

export interface ScaleLevel {
  value: number;
  label: string;
  descriptor: string;
}

export interface Criterion {
  id: string;
  label: string;
  description: string;
  weight: number;
  critical: boolean;
  allowNa: boolean;
  /** Level descriptors specific to this criterion (value → text); the scale's apply otherwise. */
  descriptors: Record<string, string>;
}

export interface Competency {
  id: string;
  block: string;
  label: string;
  weight: number;
  criteria: Criterion[];
}

/** A grid version. Validated by `scorecardGridSchema` (scoring-schema.ts, server side). */
export interface ScorecardGrid {
  blocks: { code: string; label: string }[];
  scale: ScaleLevel[];
  /** Overall (or competency) score at or above which the result counts as satisfactory. */
  passScore: number;
  critical: { threshold: number; cap: number };
  competencies: Competency[];
  /** Free comment fields the evaluator fills (e.g. "Points forts", "Axes de progrès"). */
  commentFields: { id: string; label: string }[];
}

/** Semantic checks beyond shapes (French, shown to the trainer who edits a grid). */
export function gridProblems(g: ScorecardGrid): string[] {
  const problems: string[] = [];
  const values = g.scale.map((l) => l.value);
  if (values.some((v, i) => i > 0 && v <= values[i - 1]!)) problems.push('Les niveaux de l’échelle doivent être croissants et distincts.');
  const min = Math.min(...values);
  const max = Math.max(...values);
  if (g.passScore < min || g.passScore > max) problems.push('Le seuil de réussite doit être dans l’échelle.');
  if (g.critical.cap >= g.passScore) problems.push('Le plafond en cas d’élément critique manqué doit être sous le seuil de réussite.');
  if (g.critical.cap < min) problems.push('Le plafond en cas d’élément critique manqué doit être dans l’échelle.');
  const blocks = new Set(g.blocks.map((b) => b.code));
  const ids = new Set<string>();
  for (const c of g.competencies) {
    if (!blocks.has(c.block)) problems.push(`Compétence ${c.id} : bloc ${c.block} inconnu.`);
    if (ids.has(c.id)) problems.push(`Identifiant en double : ${c.id}.`);
    ids.add(c.id);
    for (const k of c.criteria) {
      if (ids.has(k.id)) problems.push(`Identifiant en double : ${k.id}.`);
      ids.add(k.id);
      if (k.critical && k.allowNa) problems.push(`Critère ${k.id} : un élément critique ne peut pas être « sans objet ».`);
      for (const v of Object.keys(k.descriptors ?? {})) {
        if (!values.includes(Number(v))) problems.push(`Critère ${k.id} : descripteur pour un niveau hors échelle (${v}).`);
      }
    }
  }
  return problems;
}

export type AnswerValue = number | 'na';
/** Criterion id → value; a missing or null entry is unanswered. */
export type Answers = Record<string, AnswerValue | null>;

export interface CriterionResult {
  id: string;
  competencyId: string;
  value: number | null;
  na: boolean;
  criticalFailure: boolean;
}

export interface CompetencyResult {
  id: string;
  block: string;
  /** Weighted mean after the critical cap; null when no criterion was scored. */
  score: number | null;
  /** Before the cap. */
  rawScore: number | null;
  percent: number | null;
  capped: boolean;
  scored: number;
  total: number;
}

export interface EvaluationResult {
  criteria: CriterionResult[];
  competencies: CompetencyResult[];
  overall: number | null;
  rawOverall: number | null;
  overallPercent: number | null;
  capped: boolean;
  criticalFailures: string[];
  passed: boolean | null;
  complete: boolean;
  /** Criteria still unanswered. */
  missing: string[];
}

export function scaleBounds(grid: Pick<ScorecardGrid, 'scale'>): { min: number; max: number } {
  const values = grid.scale.map((l) => l.value);
  return { min: Math.min(...values), max: Math.max(...values) };
}

export function toPercent(grid: Pick<ScorecardGrid, 'scale'>, score: number | null): number | null {
  if (score === null) return null;
  const { min, max } = scaleBounds(grid);
  return ((score - min) / (max - min)) * 100;
}

/** Problems with the answers themselves (unknown criterion, value off the scale, forbidden N/A). */
export function answerProblems(grid: ScorecardGrid, answers: Answers): string[] {
  const criteria = new Map(grid.competencies.flatMap((c) => c.criteria.map((k) => [k.id, k] as const)));
  const values = new Set(grid.scale.map((l) => l.value));
  const problems: string[] = [];
  for (const [id, v] of Object.entries(answers)) {
    const k = criteria.get(id);
    if (!k) problems.push(`Critère inconnu : ${id}.`);
    else if (v === 'na' && !k.allowNa) problems.push(`Critère ${id} : « sans objet » non permis.`);
    else if (typeof v === 'number' && !values.has(v)) problems.push(`Critère ${id} : ${v} n’est pas un niveau de l’échelle.`);
  }
  return problems;
}

function weightedMean(items: { w: number; v: number }[]): number | null {
  const total = items.reduce((s, i) => s + i.w, 0);
  return total === 0 ? null : items.reduce((s, i) => s + i.w * i.v, 0) / total;
}

export function scoreEvaluation(grid: ScorecardGrid, answers: Answers): EvaluationResult {
  const criteria: CriterionResult[] = [];
  const competencies: CompetencyResult[] = [];
  const missing: string[] = [];
  for (const c of grid.competencies) {
    const scored: { w: number; v: number }[] = [];
    let failed = false;
    for (const k of c.criteria) {
      const a = answers[k.id];
      const value = typeof a === 'number' ? a : null;
      const criticalFailure = k.critical && value !== null && value < grid.critical.threshold;
      failed ||= criticalFailure;
      if (a === undefined || a === null) missing.push(k.id);
      if (value !== null) scored.push({ w: k.weight, v: value });
      criteria.push({ id: k.id, competencyId: c.id, value, na: a === 'na', criticalFailure });
    }
    const rawScore = weightedMean(scored);
    const score = rawScore !== null && failed ? Math.min(rawScore, grid.critical.cap) : rawScore;
    competencies.push({
      id: c.id,
      block: c.block,
      score,
      rawScore,
      percent: toPercent(grid, score),
      capped: score !== rawScore,
      scored: scored.length,
      total: c.criteria.length,
    });
  }
  const weights = new Map(grid.competencies.map((c) => [c.id, c.weight]));
  const rawOverall = weightedMean(competencies.flatMap((c) => (c.rawScore === null ? [] : [{ w: weights.get(c.id)!, v: c.rawScore }])));
  const criticalFailures = criteria.filter((k) => k.criticalFailure).map((k) => k.id);
  // The overall is computed from the raw competency scores and capped once, so a capped
  // competency does not count twice against the trainee.
  const overall = rawOverall !== null && criticalFailures.length > 0 ? Math.min(rawOverall, grid.critical.cap) : rawOverall;
  return {
    criteria,
    competencies,
    overall,
    rawOverall,
    overallPercent: toPercent(grid, overall),
    capped: overall !== rawOverall,
    criticalFailures,
    passed: overall === null ? null : overall >= grid.passScore,
    complete: missing.length === 0,
    missing,
  };
}

// ---------------------------------------------------------------------------------------------
// Calibration: several raters score the same call on the same grid.

export interface Spread {
  criterionId: string;
  /** Number of raters who gave a level (N/A and blanks excluded). */
  n: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Population standard deviation (divides by n): the raters are the whole panel. */
  stddev: number | null;
  range: number | null;
}

/** ratings: one Answers object per rater. */
export function spreadPerCriterion(grid: ScorecardGrid, ratings: Answers[]): Spread[] {
  return grid.competencies.flatMap((c) =>
    c.criteria.map((k) => {
      const vs = ratings.map((r) => r[k.id]).filter((v): v is number => typeof v === 'number');
      if (vs.length === 0) return { criterionId: k.id, n: 0, min: null, max: null, mean: null, stddev: null, range: null };
      const mean = vs.reduce((s, v) => s + v, 0) / vs.length;
      const min = Math.min(...vs);
      const max = Math.max(...vs);
      return {
        criterionId: k.id,
        n: vs.length,
        min,
        max,
        mean,
        stddev: Math.sqrt(vs.reduce((s, v) => s + (v - mean) ** 2, 0) / vs.length),
        range: max - min,
      };
    }),
  );
}

/**
 * Units × raters reliability data: `data[u][r]` is rater r's value for unit u (null = missing).
 * Units are the grid's criteria.
 */
export type ReliabilityData = (number | null)[][];

export function reliabilityData(grid: ScorecardGrid, ratings: Answers[]): ReliabilityData {
  return grid.competencies.flatMap((c) => c.criteria.map((k) => ratings.map((r) => (typeof r[k.id] === 'number' ? (r[k.id] as number) : null))));
}

/**
 * Pairwise exact agreement: over every unit, every pair of raters who both gave a value;
 * share of pairs that gave the same value (0–1). Null when there is no pair.
 */
export function exactAgreement(data: ReliabilityData): number | null {
  let pairs = 0;
  let agreeing = 0;
  for (const unit of data) {
    const vs = unit.filter((v): v is number => v !== null);
    for (let i = 0; i < vs.length; i++) {
      for (let j = i + 1; j < vs.length; j++) {
        pairs++;
        if (vs[i] === vs[j]) agreeing++;
      }
    }
  }
  return pairs === 0 ? null : agreeing / pairs;
}

export type AlphaMetric = 'nominal' | 'ordinal' | 'interval';

/**
 * Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"), via the
 * coincidence matrix: α = 1 − (n − 1) · Σ o_ck δ²_ck / Σ n_c n_k δ²_ck, over pairable values
 * (units with at least two values). Ordinal δ²_ck = (Σ_{g=c..k} n_g − (n_c + n_k)/2)².
 * Returns null when undefined (fewer than two pairable values, or no variation at all).
 */
export function krippendorffAlpha(data: ReliabilityData, metric: AlphaMetric = 'ordinal'): number | null {
  const units = data.map((u) => u.filter((v): v is number => v !== null)).filter((u) => u.length >= 2);
  const values = [...new Set(units.flat())].sort((a, b) => a - b);
  const index = new Map(values.map((v, i) => [v, i]));
  const size = values.length;
  const o = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (const u of units) {
    const m = u.length;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        if (i !== j) o[index.get(u[i]!)!]![index.get(u[j]!)!]! += 1 / (m - 1);
      }
    }
  }
  const nc = o.map((row) => row.reduce((s, v) => s + v, 0));
  const n = nc.reduce((s, v) => s + v, 0);
  if (n < 2) return null;
  const delta2 = (c: number, k: number): number => {
    if (c === k) return 0;
    if (metric === 'nominal') return 1;
    if (metric === 'interval') return (values[c]! - values[k]!) ** 2;
    const [lo, hi] = c < k ? [c, k] : [k, c];
    let sum = 0;
    for (let g = lo; g <= hi; g++) sum += nc[g]!;
    return (sum - (nc[c]! + nc[k]!) / 2) ** 2;
  };
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < size; c++) {
    for (let k = 0; k < size; k++) {
      const d = delta2(c, k);
      observed += o[c]![k]! * d;
      expected += nc[c]! * nc[k]! * d;
    }
  }
  if (expected === 0) return null;
  return 1 - ((n - 1) * observed) / expected;
}

// ---------------------------------------------------------------------------------------------
// Progress over time.

export interface ScoredPoint {
  at: Date;
  overall: number | null;
  /** Competency id → score (after the cap). */
  competencies: Record<string, number | null>;
}

/**
 * Least-squares slope of y against x. Null with fewer than two points or no spread in x.
 */
export function leastSquaresSlope(points: { x: number; y: number }[]): number | null {
  if (points.length < 2) return null;
  const mx = points.reduce((s, p) => s + p.x, 0) / points.length;
  const my = points.reduce((s, p) => s + p.y, 0) / points.length;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  if (sxx === 0) return null;
  return points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx;
}

const DAY_MS = 86_400_000;

export interface SeriesSummary {
  count: number;
  average: number | null;
  /** Score points per 30 days (least squares over the evaluation dates). */
  trendPer30Days: number | null;
  first: number | null;
  last: number | null;
}

export function summarizeSeries(points: { at: Date; value: number | null }[]): SeriesSummary {
  const scored = points.filter((p): p is { at: Date; value: number } => p.value !== null).sort((a, b) => a.at.getTime() - b.at.getTime());
  const slope = leastSquaresSlope(scored.map((p) => ({ x: p.at.getTime() / DAY_MS, y: p.value })));
  return {
    count: scored.length,
    average: scored.length === 0 ? null : scored.reduce((s, p) => s + p.value, 0) / scored.length,
    trendPer30Days: slope === null ? null : slope * 30,
    first: scored[0]?.value ?? null,
    last: scored.at(-1)?.value ?? null,
  };
}

export interface CompetencyProgress extends SeriesSummary {
  id: string;
  label: string;
  block: string;
}

export interface Progress {
  overall: SeriesSummary;
  competencies: CompetencyProgress[];
  /** Competencies averaging at least `strengthScore`, best first. */
  strengths: string[];
  /** Competencies averaging below the grid's pass score, weakest first. */
  gaps: string[];
}

/**
 * Progress of one trainee: points may come from several grid versions; competencies are matched
 * by id (a copied grid keeps its ids), labels come from `grid` (the current version).
 * strengthScore defaults to the level just above the pass score (3 on the 1–4 scale).
 */
export function progressOf(grid: ScorecardGrid, points: ScoredPoint[], strengthScore?: number): Progress {
  const strong = strengthScore ?? Math.min(...grid.scale.map((l) => l.value).filter((v) => v > grid.passScore));
  const competencies = grid.competencies.map((c) => ({
    id: c.id,
    label: c.label,
    block: c.block,
    ...summarizeSeries(points.map((p) => ({ at: p.at, value: p.competencies[c.id] ?? null }))),
  }));
  const withAverage = competencies.filter((c): c is CompetencyProgress & { average: number } => c.average !== null);
  return {
    overall: summarizeSeries(points.map((p) => ({ at: p.at, value: p.overall }))),
    competencies,
    strengths: withAverage.filter((c) => c.average >= strong).sort((a, b) => b.average - a.average).map((c) => c.id),
    gaps: withAverage.filter((c) => c.average < grid.passScore).sort((a, b) => a.average - b.average).map((c) => c.id),
  };
}
