import { describe, expect, it } from 'vitest';
import {
  answerProblems,
  exactAgreement,
  gridProblems,
  krippendorffAlpha,
  leastSquaresSlope,
  progressOf,
  reliabilityData,
  scoreEvaluation,
  spreadPerCriterion,
  summarizeSeries,
  type Answers,
  type ScorecardGrid,
} from './scoring.ts';
import { scorecardGridSchema } from './scoring-schema.ts';

const scale = [1, 2, 3, 4].map((value) => ({ value, label: `N${value}`, descriptor: `niveau ${value}` }));
const grid: ScorecardGrid = scorecardGridSchema.parse({
  blocks: [{ code: 'CCP1', label: 'Bloc 1' }, { code: 'CCP2', label: 'Bloc 2' }],
  scale,
  passScore: 2.5,
  critical: { threshold: 3, cap: 2 },
  competencies: [
    {
      id: 'A',
      block: 'CCP1',
      label: 'Compétence A',
      weight: 2,
      criteria: [
        { id: 'a1', label: 'a1', weight: 1 },
        { id: 'a2', label: 'a2', weight: 3 },
        { id: 'a3', label: 'a3 (critique)', weight: 1, critical: true },
      ],
    },
    {
      id: 'B',
      block: 'CCP2',
      label: 'Compétence B',
      weight: 1,
      criteria: [
        { id: 'b1', label: 'b1', weight: 2, allowNa: true },
        { id: 'b2', label: 'b2', weight: 2 },
      ],
    },
  ],
});

describe('scoreEvaluation', () => {
  // [case, answers, A, B, rawOverall, overall, capped, criticalFailures, passed, missing]
  const table: [string, Answers, number | null, number | null, number | null, number | null, boolean, string[], boolean | null, string[]][] = [
    ['all top', { a1: 4, a2: 4, a3: 4, b1: 4, b2: 4 }, 4, 4, 4, 4, false, [], true, []],
    ['weights inside a competency and across', { a1: 1, a2: 1, a3: 3, b1: 1, b2: 1 }, 7 / 5, 1, (2 * (7 / 5) + 1) / 3, (2 * (7 / 5) + 1) / 3, false, [], false, []],
    ['N/A leaves the criterion out', { a1: 4, a2: 3, a3: 4, b1: 'na', b2: 2 }, 17 / 5, 2, (2 * (17 / 5) + 2) / 3, (2 * (17 / 5) + 2) / 3, false, [], true, []],
    ['critical failure caps competency and overall', { a1: 4, a2: 4, a3: 2, b1: 4, b2: 4 }, 2, 4, (2 * (18 / 5) + 4) / 3, 2, true, ['a3'], false, []],
    ['critical failure never raises a lower score', { a1: 1, a2: 1, a3: 1, b1: 1, b2: 1 }, 1, 1, 1, 1, false, ['a3'], false, []],
    ['critical at the threshold is no failure', { a1: 4, a2: 4, a3: 3, b1: 4, b2: 4 }, 19 / 5, 4, (2 * (19 / 5) + 4) / 3, (2 * (19 / 5) + 4) / 3, false, [], true, []],
    ['unanswered criteria are left out and listed', { a1: 3 }, 3, null, 3, 3, false, [], true, ['a2', 'a3', 'b1', 'b2']],
    ['a competency with only N/A has no score', { a1: 2, a2: 2, a3: 3, b1: 'na', b2: null }, 11 / 5, null, 11 / 5, 11 / 5, false, [], false, ['b2']],
    ['nothing answered', {}, null, null, null, null, false, [], null, ['a1', 'a2', 'a3', 'b1', 'b2']],
  ];
  it.each(table)('%s', (_name, answers, a, b, rawOverall, overall, capped, failures, passed, missing) => {
    const r = scoreEvaluation(grid, answers);
    const [ca, cb] = r.competencies;
    if (a === null) expect(ca!.score).toBeNull();
    else expect(ca!.score).toBeCloseTo(a, 12);
    if (b === null) expect(cb!.score).toBeNull();
    else expect(cb!.score).toBeCloseTo(b, 12);
    if (rawOverall === null) expect(r.rawOverall).toBeNull();
    else expect(r.rawOverall).toBeCloseTo(rawOverall, 12);
    if (overall === null) expect(r.overall).toBeNull();
    else expect(r.overall).toBeCloseTo(overall, 12);
    expect(r.capped).toBe(capped);
    expect(r.criticalFailures).toEqual(failures);
    expect(r.passed).toBe(passed);
    expect(r.missing).toEqual(missing);
    expect(r.complete).toBe(missing.length === 0);
  });

  it('gives percentages on the scale (min level = 0 %, max = 100 %)', () => {
    const capped = scoreEvaluation(grid, { a1: 4, a2: 4, a3: 2, b1: 4, b2: 4 });
    expect(capped.overallPercent).toBeCloseTo(100 / 3, 12);
    expect(capped.competencies[0]!.capped).toBe(true);
    expect(capped.competencies[0]!.rawScore).toBeCloseTo(3.6, 12);
    expect(capped.competencies[1]!.percent).toBe(100);
    expect(scoreEvaluation(grid, { a1: 1, a2: 1, a3: 3, b1: 1, b2: 1 }).competencies[1]!.percent).toBe(0);
  });

  it('marks critical failures per criterion and counts scored criteria', () => {
    const r = scoreEvaluation(grid, { a1: 4, a2: 4, a3: 1, b1: 'na', b2: 4 });
    expect(r.criteria.find((k) => k.id === 'a3')).toMatchObject({ value: 1, criticalFailure: true });
    expect(r.criteria.find((k) => k.id === 'b1')).toMatchObject({ value: null, na: true });
    expect(r.competencies[1]).toMatchObject({ scored: 1, total: 2 });
  });
});

describe('answerProblems and gridProblems', () => {
  it.each([
    [{ a1: 3 }, 0],
    [{ zz: 3 }, 1],
    [{ a1: 5 }, 1],
    [{ a1: 2.5 }, 1],
    [{ a1: 'na' as const }, 1],
    [{ b1: 'na' as const }, 0],
    [{ a3: 'na' as const, a1: 0 }, 2],
  ])('%j → %i problem(s)', (answers, count) => {
    expect(answerProblems(grid, answers)).toHaveLength(count);
  });

  it('refuses inconsistent grids', () => {
    const bad = (patch: Partial<ScorecardGrid>) => gridProblems({ ...grid, ...patch });
    expect(bad({})).toEqual([]);
    expect(bad({ critical: { threshold: 3, cap: 2.5 } })[0]).toMatch(/plafond/);
    expect(bad({ passScore: 5 })[0]).toMatch(/seuil/);
    expect(bad({ scale: [scale[1]!, scale[0]!, scale[2]!, scale[3]!] })[0]).toMatch(/croissants/);
    expect(bad({ competencies: [{ ...grid.competencies[0]!, block: 'X' }] })[0]).toMatch(/bloc X/);
    expect(bad({ competencies: [grid.competencies[0]!, { ...grid.competencies[1]!, criteria: [{ ...grid.competencies[0]!.criteria[0]! }] }] })[0]).toMatch(/double : a1/);
    expect(bad({ competencies: [{ ...grid.competencies[0]!, criteria: [{ ...grid.competencies[0]!.criteria[2]!, allowNa: true }] }] })[0]).toMatch(/critique/);
    expect(scorecardGridSchema.safeParse({ ...grid, passScore: 9 }).success).toBe(false);
  });
});

describe('calibration', () => {
  it('spread per criterion: min, max, mean, population stddev; N/A and blanks excluded', () => {
    const s = spreadPerCriterion(grid, [{ a1: 1, b1: 'na' }, { a1: 2 }, { a1: 4, b1: 3 }]);
    const a1 = s.find((x) => x.criterionId === 'a1')!;
    expect(a1).toMatchObject({ n: 3, min: 1, max: 4, range: 3 });
    expect(a1.mean).toBeCloseTo(7 / 3, 12);
    expect(a1.stddev).toBeCloseTo(Math.sqrt(14) / 3, 12);
    expect(s.find((x) => x.criterionId === 'b1')).toMatchObject({ n: 1, min: 3, max: 3, stddev: 0 });
    expect(s.find((x) => x.criterionId === 'a2')).toMatchObject({ n: 0, mean: null, stddev: null });
  });

  it('reliability data: criteria as units, raters as columns', () => {
    expect(reliabilityData(grid, [{ a1: 1, b1: 'na' }, { a1: 2, b2: 4 }])).toEqual([
      [1, 2],
      [null, null],
      [null, null],
      [null, null],
      [null, 4],
    ]);
  });

  it('hand-computed: two raters, four units', () => {
    // Coincidences: o11=2, o12=o21=1, o23=o32=1, o33=2; n1=3, n2=2, n3=3, n=8.
    // Ordinal δ²: 12 → 2.5² = 6.25, 23 → 6.25, 13 → (8 − 3)² = 25.
    // Observed Σoδ² = 4 × 6.25 = 25; expected Σ n_c n_k δ² = 2(6·6.25 + 6·6.25 + 9·25) = 600.
    // α = 1 − 7 · 25 / 600 = 17/24.
    const data = [
      [1, 2],
      [2, 3],
      [1, 1],
      [3, 3],
    ];
    expect(krippendorffAlpha(data, 'ordinal')).toBeCloseTo(17 / 24, 12);
    // Nominal: observed 4, expected 2(6 + 6 + 9) = 42 → α = 1 − 28/42 = 1/3.
    expect(krippendorffAlpha(data, 'nominal')).toBeCloseTo(1 / 3, 12);
    expect(exactAgreement(data)).toBe(0.5);
  });

  it('reproduces the published example (Krippendorff 2011: 4 coders, 12 units, missing values)', () => {
    const n = null;
    const coders = [
      [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
      [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
      [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
      [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n],
    ];
    const data = coders[0]!.map((_, u) => coders.map((c) => c[u]!));
    expect(krippendorffAlpha(data, 'nominal')!.toFixed(3)).toBe('0.743');
    expect(krippendorffAlpha(data, 'ordinal')!.toFixed(3)).toBe('0.815');
    expect(krippendorffAlpha(data, 'interval')!.toFixed(3)).toBe('0.849');
  });

  it('perfect agreement is 1; no pairable value or no variation is undefined', () => {
    expect(krippendorffAlpha([[1, 1], [3, 3], [2, 2]])).toBe(1);
    expect(krippendorffAlpha([[1, null], [2, null]])).toBeNull();
    expect(krippendorffAlpha([[2, 2], [2, 2]])).toBeNull();
    expect(exactAgreement([[1, null]])).toBeNull();
    // Three raters on one unit: pairs (4,4) agree, (4,3) twice do not → 1/3.
    expect(exactAgreement([[4, 4, 3]])).toBeCloseTo(1 / 3, 12);
  });
});

describe('progress', () => {
  const day = (d: number) => new Date(Date.UTC(2026, 0, 1 + d));

  it('least-squares slope', () => {
    expect(leastSquaresSlope([{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 5 }])).toBe(2);
    // y = 1, 2, 2, 3 at x = 0..3: slope = Σ(x−1.5)(y−2)/Σ(x−1.5)² = 3/5.
    expect(leastSquaresSlope([0, 1, 2, 3].map((x, i) => ({ x, y: [1, 2, 2, 3][i]! })))).toBeCloseTo(0.6, 12);
    expect(leastSquaresSlope([{ x: 1, y: 1 }])).toBeNull();
    expect(leastSquaresSlope([{ x: 1, y: 1 }, { x: 1, y: 3 }])).toBeNull();
  });

  it('summary: count, average, trend per 30 days, first/last in date order', () => {
    const s = summarizeSeries([
      { at: day(20), value: 3 },
      { at: day(0), value: 2 },
      { at: day(10), value: 2.5 },
      { at: day(15), value: null },
    ]);
    expect(s).toMatchObject({ count: 3, average: 2.5, first: 2, last: 3 });
    expect(s.trendPer30Days).toBeCloseTo(1.5, 12);
  });

  it('strengths (≥ 3 by default) best first, gaps (< pass score) weakest first', () => {
    const p = progressOf(grid, [
      { at: day(0), overall: 2, competencies: { A: 3.5, B: 1 } },
      { at: day(7), overall: 3, competencies: { A: 3, B: 2 } },
    ]);
    expect(p.competencies.map((c) => [c.id, c.average])).toEqual([
      ['A', 3.25],
      ['B', 1.5],
    ]);
    expect(p.strengths).toEqual(['A']);
    expect(p.gaps).toEqual(['B']);
    expect(p.overall.trendPer30Days).toBeCloseTo(30 / 7, 12);
    expect(progressOf(grid, []).overall).toMatchObject({ count: 0, average: null, trendPer30Days: null });
  });
});
