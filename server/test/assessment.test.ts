import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { ScorecardGrid } from '@passerelle/shared/scoring';
import { scorecardGridSchema } from '@passerelle/shared/scoring-schema';
import { purgeExpiredAssessments } from '../src/modules/assessment/service.ts';
import { hashPassword } from '../src/lib/passwords.ts';
import { startTestApp, type TestContext } from './app.ts';
import { login, OUTSIDE_IP, PASSWORD, SEAT_IP, seedFixture, type Fixture, type LoggedIn } from './fixtures.ts';
import { makeCampaign } from './vault-fixtures.ts';
import { answersAll, makeAttempt } from './assessment-fixtures.ts';

let ctx: TestContext;
let fx: Fixture;
let s: Record<'trainer' | 'admin' | 'trainee' | 'trainee2' | 'partnerA', LoggedIn>;
let grid: ScorecardGrid;
let defaultId: string;
let campaignId: string;
let attempt1: string;
let attempt2: string;
let attemptOther: string;

type Who = keyof typeof s;
const ipOf = (who: Who) => (who === 'trainee' || who === 'trainee2' ? SEAT_IP : OUTSIDE_IP);
async function api(who: Who, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) {
  return ctx.app.inject({ method, url, headers: s[who].headers, remoteAddress: ipOf(who), ...(payload === undefined ? {} : { payload: payload as object }) });
}
const audit = (action: string) => ctx.app.db.selectFrom('auditLog').select(['action', 'actorUserId', 'targetId', 'details']).where('action', '=', action).orderBy('id').execute();

beforeAll(async () => {
  ctx = await startTestApp({ LOGIN_RATE_PER_MIN: '1000' });
  fx = await seedFixture(ctx.app);
  s = {
    trainer: await login(ctx.app, fx.users.trainer.username, OUTSIDE_IP),
    admin: await login(ctx.app, fx.users.admin.username, OUTSIDE_IP),
    trainee: await login(ctx.app, fx.users.trainee.username, SEAT_IP),
    trainee2: await login(ctx.app, fx.users.trainee2.username, SEAT_IP),
    partnerA: await login(ctx.app, fx.users.partnerA.username, OUTSIDE_IP),
  };
  campaignId = await makeCampaign(ctx.app, fx.partnerA, { name: 'Campagne Secrète Opticiens', type: 'appointment' });
  const base = { campaignId, partnerId: fx.partnerA, agentUserId: fx.users.trainee.id, talkSeconds: 95 };
  attempt1 = await makeAttempt(ctx.app, { ...base, answeredAt: new Date('2026-10-01T14:00:00Z') });
  attempt2 = await makeAttempt(ctx.app, { ...base, answeredAt: new Date('2026-10-21T14:00:00Z') });
  attemptOther = await makeAttempt(ctx.app, { ...base, agentUserId: fx.users.trainee2.id, answeredAt: new Date('2026-10-02T15:00:00Z') });
  const list = await api('trainer', 'GET', '/api/assessment/scorecards');
  if (list.statusCode !== 200) throw new Error(list.body);
  const def = list.json().scorecards.find((x: { isDefault: boolean }) => x.isDefault);
  defaultId = def.id;
  grid = scorecardGridSchema.parse((await api('trainer', 'GET', `/api/assessment/scorecards/${defaultId}`)).json().grid);
});
afterAll(() => ctx?.close());

async function draft(who: Who, body: Record<string, string>) {
  const r = await api(who, 'POST', '/api/assessment/evaluations', body);
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; status: string; scorecardId: string; traineeId: string };
}

describe('default CRCD grid', () => {
  it('has the two CCP blocks, a 1–4 scale with French descriptors and the two critical legal items', () => {
    expect(grid.blocks).toEqual([
      { code: 'CCP1', label: 'Assurer des prestations de services et de conseil en relation client à distance' },
      { code: 'CCP2', label: 'Réaliser des actions commerciales en relation client à distance' },
    ]);
    expect(grid.scale.map((l) => [l.value, l.label])).toEqual([
      [1, 'Non acquis'],
      [2, 'En cours d’acquisition'],
      [3, 'Acquis'],
      [4, 'Maîtrisé'],
    ]);
    const criteria = grid.competencies.flatMap((c) => c.criteria);
    expect(criteria.filter((k) => k.critical).map((k) => k.id)).toEqual(['mentions_ouverture', 'mention_enregistrement']);
    for (const id of ['accueil_presentation', 'decouverte_besoin', 'reformulation', 'argumentation', 'traitement_objections', 'prise_conge', 'maitrise_outils', 'respect_script', 'gestion_situations_difficiles', 'prise_rdv_conclusion', 'qualite_expression', 'tracabilite']) {
      expect(criteria.some((k) => k.id === id), id).toBe(true);
    }
  });
});

describe('scoring a call', () => {
  let evalId: string;

  it('creates a draft tied to the call, with the trainee and call facts but no partner data', async () => {
    const d = await draft('trainer', { attemptId: attempt1 });
    evalId = d.id;
    const detail = (await api('trainer', 'GET', `/api/assessment/evaluations/${evalId}`)).json();
    expect(detail).toMatchObject({ status: 'draft', traineeId: fx.users.trainee.id, traineeName: 'Conseiller trainee', subject: 'call', campaignType: 'appointment', callDurationS: 95, scorecardId: defaultId, scorecardVersion: 1 });
    expect(new Date(detail.callAt).toISOString()).toBe('2026-10-01T14:00:00.000Z');
    expect(JSON.stringify(detail)).not.toContain('Opticiens');
    expect((await audit('evaluation.view')).some((a) => a.targetId === evalId && a.actorUserId === fx.users.trainer.id)).toBe(true);
  });

  it('refuses answers off the scale and finalizing while criteria are missing', async () => {
    const bad = await api('trainer', 'PATCH', `/api/assessment/evaluations/${evalId}`, { answers: { accueil_presentation: 7 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INVALID_ANSWERS');
    expect((await api('trainer', 'PATCH', `/api/assessment/evaluations/${evalId}`, { answers: { mention_enregistrement: 'na' } })).statusCode).toBe(400);
    await api('trainer', 'PATCH', `/api/assessment/evaluations/${evalId}`, { answers: { accueil_presentation: 3 } });
    const early = await api('trainer', 'POST', `/api/assessment/evaluations/${evalId}/finalize`);
    expect(early.statusCode).toBe(422);
    expect(early.json().error.code).toBe('EVALUATION_INCOMPLETE');
    // The trainer reads the criteria as the grid names them, not their ids.
    expect(early.json().error.message).toMatch(/^Critères sans réponse : [^_]+$/);
    expect(early.json().error.details.missing).toContain('mention_enregistrement');
  });

  it('only the evaluator edits a draft', async () => {
    const r = await api('admin', 'PATCH', `/api/assessment/evaluations/${evalId}`, { answers: { accueil_presentation: 1 } });
    expect(r.statusCode).toBe(403);
  });

  it('adds timestamped comments, ordered by position in the call', async () => {
    await api('trainer', 'POST', `/api/assessment/evaluations/${evalId}/comments`, { atMs: 45_000, body: 'Bonne reformulation du besoin.', criterionId: 'reformulation' });
    const r = await api('trainer', 'POST', `/api/assessment/evaluations/${evalId}/comments`, { atMs: 12_000, body: 'Mention de l’enregistrement oubliée ici.', criterionId: 'mention_enregistrement' });
    expect(r.statusCode).toBe(201);
    expect(r.json().comments.map((c: { atMs: number }) => c.atMs)).toEqual([12_000, 45_000]);
    expect((await api('trainer', 'POST', `/api/assessment/evaluations/${evalId}/comments`, { atMs: 1, body: 'x', criterionId: 'nope' })).statusCode).toBe(400);
  });

  it('a missed critical item caps the result; finalization freezes it and notifies the trainee', async () => {
    const answers = answersAll(grid, 4, { mention_enregistrement: 1 });
    const patched = await api('trainer', 'PATCH', `/api/assessment/evaluations/${evalId}`, { answers, commentFields: { points_forts: 'Accueil chaleureux.', axes_progres: 'Annoncer l’enregistrement.' } });
    expect(patched.statusCode, patched.body).toBe(200);
    const fin = await api('trainer', 'POST', `/api/assessment/evaluations/${evalId}/finalize`);
    expect(fin.statusCode, fin.body).toBe(200);
    const result = fin.json().result;
    // Ouverture: (4·2 + 4·2 + 1·1 + 4·1) / 6 = 3.5, capped at 2. Overall before cap: (2·3.5 + 3·4 + 4 + 2·4 + 2·4 + 4) / 11.
    expect(result.competencies.find((c: { id: string }) => c.id === 'ouverture')).toMatchObject({ rawScore: 3.5, score: 2, capped: true });
    expect(result.rawOverall).toBeCloseTo(43 / 11, 12);
    expect(result.overall).toBe(2);
    expect(result).toMatchObject({ capped: true, criticalFailures: ['mention_enregistrement'], passed: false, complete: true });
    expect(fin.json()).toMatchObject({ status: 'final', overall: 2, capped: true });
    const notes = await ctx.app.db.selectFrom('assessmentNotifications').selectAll().where('evaluationId', '=', evalId).execute();
    expect(notes).toHaveLength(1);
    expect(notes[0]!.userId).toBe(fx.users.trainee.id);
    expect((await audit('evaluation.finalize')).some((a) => a.targetId === evalId)).toBe(true);
    const again = await api('trainer', 'PATCH', `/api/assessment/evaluations/${evalId}`, { answers: { accueil_presentation: 1 } });
    expect(again.statusCode).toBe(409);
  });

  it('the trainee sees their own final evaluation, with comments and moments, and no other trainee sees it', async () => {
    const mine = await api('trainee', 'GET', '/api/me/evaluations');
    expect(mine.statusCode).toBe(200);
    expect(mine.json().evaluations.map((e: { id: string }) => e.id)).toEqual([evalId]);
    const one = await api('trainee', 'GET', `/api/me/evaluations/${evalId}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id: evalId, overall: 2, capped: true, excerpt: null, commentFields: { points_forts: 'Accueil chaleureux.' } });
    expect(one.json().comments.map((c: { atMs: number; body: string }) => c.atMs)).toEqual([12_000, 45_000]);
    expect(one.json()).not.toHaveProperty('attemptId');
    expect(JSON.stringify(one.json())).not.toContain('Opticiens');
    expect((await ctx.app.db.selectFrom('assessmentNotifications').select('readAt').where('evaluationId', '=', evalId).executeTakeFirstOrThrow()).readAt).not.toBeNull();
    expect((await audit('evaluation.view')).some((a) => a.targetId === evalId && a.actorUserId === fx.users.trainee.id)).toBe(true);

    expect((await api('trainee2', 'GET', '/api/me/evaluations')).json().evaluations).toEqual([]);
    expect((await api('trainee2', 'GET', `/api/me/evaluations/${evalId}`)).statusCode).toBe(404);
    expect((await api('trainee', 'GET', `/api/assessment/evaluations/${evalId}`)).statusCode).toBe(403);
    expect((await api('partnerA', 'GET', `/api/assessment/evaluations/${evalId}`)).statusCode).toBe(403);
    expect((await api('partnerA', 'GET', '/api/me/evaluations')).statusCode).toBe(403);
    expect((await api('trainer', 'GET', '/api/me/evaluations')).statusCode).toBe(403);
  });

  it('drafts stay invisible to the trainee', async () => {
    const d = await draft('trainer', { attemptId: attempt2 });
    expect((await api('trainee', 'GET', `/api/me/evaluations/${d.id}`)).statusCode).toBe(404);
    expect((await api('trainee', 'GET', '/api/me/evaluations')).json().evaluations.map((e: { id: string }) => e.id)).not.toContain(d.id);
    // Exact weights with N/A: traitement = (4·3 + 3·2 + 3 + 3) / 7; two N/A leave their criteria out.
    await api('trainer', 'PATCH', `/api/assessment/evaluations/${d.id}`, { answers: answersAll(grid, 3, { decouverte_besoin: 4, gestion_situations_difficiles: 'na', traitement_objections: 'na' }) });
    const fin = (await api('trainer', 'POST', `/api/assessment/evaluations/${d.id}/finalize`)).json();
    expect(fin.result.competencies.find((c: { id: string }) => c.id === 'situations_difficiles').score).toBeNull();
    expect(fin.result.competencies.find((c: { id: string }) => c.id === 'traitement_demande').score).toBeCloseTo(24 / 7, 12);
    expect(fin.overall).toBeCloseTo(219 / 70, 12);
    expect(fin.capped).toBe(false);
  });
});

describe('recorded calls to score', () => {
  it('lists recorded calls, newest first, for trainers and admins only, with how often each was scored', async () => {
    const record = (attemptId: string, callId: string, createdAt: Date) =>
      ctx.app.db
        .insertInto('recordings')
        .values({ attemptId, callId, campaignId, partnerId: fx.partnerA, path: `/nonexistent/${callId}`, mimeType: 'audio/wav', sizeBytes: 1, durationMs: 95_000, peaks: '[]', sha256: 'x', deleteAfter: new Date(Date.now() + 86_400_000), createdAt })
        .execute();
    await record(attempt1, 'rec-call-1', new Date('2026-10-01T14:02:00Z'));
    await record(attemptOther, 'rec-call-other', new Date('2026-10-02T15:02:00Z'));
    const res = await api('trainer', 'GET', '/api/assessment/recorded-calls');
    expect(res.statusCode, res.body).toBe(200);
    const calls = res.json().calls as { attemptId: string; traineeName: string; durationMs: number; evaluations: number; campaignType: string }[];
    expect(calls.map((c) => c.attemptId)).toEqual([attemptOther, attempt1]);
    expect(calls[1]).toMatchObject({ traineeName: 'Conseiller trainee', durationMs: 95_000, campaignType: 'appointment' });
    expect(calls[1]!.evaluations).toBeGreaterThanOrEqual(1);
    // Never the customer, never the partner's campaign name.
    expect(res.body).not.toMatch(/Secrète|\+590|0690/);
    const mine = await api('trainer', 'GET', `/api/assessment/recorded-calls?traineeId=${fx.users.trainee2.id}`);
    expect(mine.json().calls.map((c: { attemptId: string }) => c.attemptId)).toEqual([attemptOther]);
    for (const who of ['trainee', 'partnerA'] as const) expect((await api(who, 'GET', '/api/assessment/recorded-calls')).statusCode).toBe(403);
  });
});

describe('versioning', () => {
  it('copy-and-adapt makes version 2 of the same grid; existing evaluations keep version 1', async () => {
    const before = await draft('trainer', { attemptId: attemptOther });
    const adapted = { ...grid, passScore: 2.75, competencies: grid.competencies.map((c) => (c.id === 'communication' ? { ...c, weight: 2 } : c)) };
    const copy = await api('trainer', 'POST', `/api/assessment/scorecards/${defaultId}/copy`, { name: 'Grille CRCD (RNCP35304)', description: 'Expression renforcée', grid: adapted, sameFamily: true });
    expect(copy.statusCode, copy.body).toBe(201);
    const v2 = copy.json();
    expect(v2).toMatchObject({ version: 2, basedOnId: defaultId, latest: true });
    const latest = (await api('trainer', 'GET', '/api/assessment/scorecards')).json().scorecards.map((x: { id: string }) => x.id);
    expect(latest).toContain(v2.id);
    expect(latest).not.toContain(defaultId);
    expect((await api('trainer', 'GET', '/api/assessment/scorecards?all=true')).json().scorecards.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining([v2.id, defaultId]));

    const old = (await api('trainer', 'GET', `/api/assessment/evaluations/${before.id}`)).json();
    expect(old).toMatchObject({ scorecardId: defaultId, scorecardVersion: 1 });
    expect(old.grid.passScore).toBe(2.5);
    const fresh = await draft('trainer', { attemptId: attemptOther });
    expect(fresh.scorecardId).toBe(v2.id);

    const newFamily = await api('trainer', 'POST', `/api/assessment/scorecards/${defaultId}/copy`, { name: 'Grille SAV', grid, sameFamily: false });
    expect(newFamily.json()).toMatchObject({ version: 1, basedOnId: defaultId });
    expect(newFamily.json().familyId).not.toBe(v2.familyId);
    const invalid = await api('trainer', 'POST', '/api/assessment/scorecards', { name: 'Bancale', grid: { ...grid, critical: { threshold: 3, cap: 3 } } });
    expect(invalid.statusCode).toBe(400);
    expect((await audit('scorecard.copy')).length).toBe(2);
  });
});

describe('blind calibration', () => {
  it('hides the others’ scores until one submits, then shows spread and exact agreement figures', async () => {
    const created = await api('admin', 'POST', '/api/assessment/calibrations', { title: 'Calibrage octobre', attemptId: attempt1, scorecardId: defaultId });
    expect(created.statusCode, created.body).toBe(201);
    const sid = created.json().id;
    const mine = (await api('trainer', 'POST', `/api/assessment/calibrations/${sid}/join`)).json().evaluationId;
    const theirs = (await api('admin', 'POST', `/api/assessment/calibrations/${sid}/join`)).json().evaluationId;
    await api('trainer', 'PATCH', `/api/assessment/evaluations/${mine}`, { answers: answersAll(grid, 3) });
    await api('admin', 'PATCH', `/api/assessment/evaluations/${theirs}`, { answers: answersAll(grid, 3, { accueil_presentation: 4, decouverte_besoin: 2, gestion_situations_difficiles: 'na' }) });
    expect((await api('trainer', 'POST', `/api/assessment/evaluations/${mine}/finalize`)).statusCode).toBe(200);

    // The admin has not submitted: blind.
    const blind = (await api('admin', 'GET', `/api/assessment/calibrations/${sid}`)).json();
    expect(blind).toMatchObject({ revealed: false, ratings: [], spread: [], agreement: null });
    expect(blind.participants.find((p: { evaluatorId: string }) => p.evaluatorId === fx.users.trainer.id).submitted).toBe(true);
    expect((await api('admin', 'GET', `/api/assessment/evaluations/${mine}`)).statusCode).toBe(403);
    // Calibration scorings are not in the general list and never reach the trainee.
    expect((await api('trainer', 'GET', '/api/assessment/evaluations')).json().evaluations.map((e: { id: string }) => e.id)).not.toContain(mine);

    expect((await api('admin', 'POST', `/api/assessment/evaluations/${theirs}/finalize`)).statusCode).toBe(200);
    const open = (await api('admin', 'GET', `/api/assessment/calibrations/${sid}`)).json();
    expect(open.revealed).toBe(true);
    expect(open.ratings).toHaveLength(2);
    expect(open.spread.find((x: { criterionId: string }) => x.criterionId === 'decouverte_besoin')).toMatchObject({ n: 2, min: 2, max: 3, mean: 2.5, stddev: 0.5, range: 1 });
    // 13 criteria rated by both (one N/A): 11 agree → 11/13. Ordinal alpha by hand: n2 = 1,
    // n3 = 24, n4 = 1, n = 26; δ²23 = δ²34 = 12.5², δ²24 = 25²; observed 4·156.25 = 625,
    // expected 2(24·156.25·2 + 625) = 16250 → α = 1 − 25·625/16250 = 1/26.
    expect(open.agreement.raters).toBe(2);
    expect(open.agreement.exactAgreement).toBeCloseTo(11 / 13, 12);
    expect(open.agreement.krippendorffAlphaOrdinal).toBeCloseTo(1 / 26, 12);

    // Only the session's creator (here the admin) or an admin closes it.
    expect((await api('trainer', 'POST', `/api/assessment/calibrations/${sid}/close`, { answers: answersAll(grid, 3) })).statusCode).toBe(403);
    const closed = await api('admin', 'POST', `/api/assessment/calibrations/${sid}/close`, { answers: answersAll(grid, 3, { accueil_presentation: 4 }) });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', reference: { result: { complete: true } } });
    expect((await api('trainee', 'GET', '/api/me/evaluations')).json().evaluations.map((e: { id: string }) => e.id)).not.toContain(mine);
    expect((await api('trainer', 'POST', `/api/assessment/calibrations/${sid}/join`)).statusCode).toBe(200);
  });
});

describe('practice calls, progress, reviews', () => {
  it('records a practice call from a scenario card and scores it as practice', async () => {
    const cards = (await api('trainer', 'GET', '/api/assessment/scenarios')).json().scenarios.map((c: { id: string }) => c.id);
    expect(cards).toEqual(['appointment', 'loyalty', 'after_sales', 'difficult_customer']);
    const pc = await api('trainer', 'POST', '/api/assessment/practice-calls', { traineeId: fx.users.trainee.id, scenario: 'difficult_customer', startedAt: '2026-10-10T13:00:00Z', endedAt: '2026-10-10T13:06:30Z' });
    expect(pc.statusCode, pc.body).toBe(201);
    expect((await api('trainer', 'POST', '/api/assessment/practice-calls', { traineeId: fx.users.trainer.id, scenario: 'loyalty' })).statusCode).toBe(400);
    // It feeds the portfolio: no end before the start, no date in the future.
    const base = { traineeId: fx.users.trainee.id, scenario: 'loyalty' };
    for (const times of [{ startedAt: '2026-10-10T13:00:00Z', endedAt: '2026-10-10T12:10:00Z' }, { startedAt: new Date(Date.now() + 86_400_000).toISOString() }]) {
      const refused = await api('trainer', 'POST', '/api/assessment/practice-calls', { ...base, ...times });
      expect(refused.statusCode, JSON.stringify(times)).toBe(400);
      expect(refused.json().error.code).toBe('INVALID_TIMES');
    }
    expect((await api('trainer', 'PATCH', `/api/assessment/practice-calls/${pc.json().id}`, { endedAt: '2026-10-10T12:59:00Z' })).json().error.code).toBe('INVALID_TIMES');
    const d = await draft('trainer', { practiceCallId: pc.json().id, scorecardId: defaultId });
    await api('trainer', 'PATCH', `/api/assessment/evaluations/${d.id}`, { answers: answersAll(grid, 2) });
    const fin = (await api('trainer', 'POST', `/api/assessment/evaluations/${d.id}/finalize`)).json();
    expect(fin).toMatchObject({ subject: 'practice', isPractice: true, campaignType: null, callDurationS: 390, overall: 2 });
  });

  it('progress per trainee: average, trend, strengths and gaps; filters by period and type', async () => {
    const p = (await api('trainer', 'GET', `/api/assessment/trainees/${fx.users.trainee.id}/progress?scorecardId=${defaultId}`)).json();
    expect(p.evaluated).toBe(3);
    // Oct 1: 2 (capped); Oct 10 practice: 2; Oct 21: 219/70.
    expect(p.overall.average).toBeCloseTo((2 + 2 + 219 / 70) / 3, 12);
    expect(p.overall.trendPer30Days).toBeGreaterThan(0);
    expect(p.points.map((x: { isPractice: boolean }) => x.isPractice)).toEqual([false, true, false]);
    const practiceOnly = (await api('trainer', 'GET', `/api/assessment/trainees/${fx.users.trainee.id}/progress?campaignType=practice`)).json();
    expect(practiceOnly.evaluated).toBe(1);
    const period = (await api('trainer', 'GET', `/api/assessment/trainees/${fx.users.trainee.id}/progress?from=2026-10-15&to=2026-10-31&campaignType=appointment`)).json();
    expect(period.evaluated).toBe(1);
    expect(period.overall.average).toBeCloseTo(219 / 70, 12);
    expect(period.strengths).toContain('traitement_demande');
    const own = await api('trainee', 'GET', '/api/me/progress');
    expect(own.json().evaluated).toBe(3);
    expect((await api('trainee', 'GET', `/api/assessment/trainees/${fx.users.trainee.id}/progress`)).statusCode).toBe(403);
  });

  it('group matrix: trainee × competency averages', async () => {
    const m = (await api('trainer', 'GET', `/api/assessment/progress/matrix?scorecardId=${defaultId}`)).json();
    expect(m.competencies.map((c: { id: string }) => c.id)).toEqual(grid.competencies.map((c) => c.id));
    const row = m.rows.find((r: { traineeId: string }) => r.traineeId === fx.users.trainee.id);
    expect(row.evaluated).toBe(3);
    expect(row.cells.conclusion).toBeCloseTo((4 + 2 + 3) / 3, 12);
    expect(m.rows.find((r: { traineeId: string }) => r.traineeId === fx.users.trainee2.id)).toMatchObject({ evaluated: 0, overall: null });
  });

  it('reviews with levels, objectives, the evaluations relied on, and next-review reminders', async () => {
    const finals = (await api('trainer', 'GET', `/api/assessment/evaluations?traineeId=${fx.users.trainee.id}&status=final`)).json().evaluations.map((e: { id: string }) => e.id);
    const r = await api('trainer', 'POST', '/api/assessment/reviews', {
      traineeId: fx.users.trainee.id,
      kind: 'initial',
      reviewDate: '2026-10-22',
      scorecardId: defaultId,
      competencyLevels: { ouverture: 2, traitement_demande: 3 },
      objectives: ['Annoncer systématiquement l’enregistrement', 'Conclure par un récapitulatif'],
      comments: 'Bon départ.',
      evaluationIds: finals,
      nextReviewDate: '2026-11-05',
    });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ kind: 'initial', reviewDate: '2026-10-22', nextReviewDate: '2026-11-05', trainerName: 'trainer' });
    expect([...r.json().evaluationIds].sort()).toEqual([...finals].sort());
    expect((await api('trainer', 'POST', '/api/assessment/reviews', { traineeId: fx.users.trainee.id, kind: 'follow_up', reviewDate: '2026-11-01', competencyLevels: { ouverture: 9 } })).statusCode).toBe(400);
    expect((await api('trainer', 'POST', '/api/assessment/reviews', { traineeId: fx.users.trainee2.id, kind: 'initial', reviewDate: '2026-11-01', competencyLevels: {}, evaluationIds: finals })).statusCode).toBe(400);

    const reminders = (await api('trainer', 'GET', '/api/assessment/reviews/reminders')).json().reminders;
    // "Today" is the real date: 2026-11-05 is in the past or within the horizon either way.
    expect(reminders.find((x: { traineeId: string }) => x.traineeId === fx.users.trainee.id)?.status).toMatch(/overdue|due_soon/);
    expect(reminders.find((x: { traineeId: string }) => x.traineeId === fx.users.trainee2.id)).toMatchObject({ status: 'no_review', lastReviewId: null });
    const own = (await api('trainee', 'GET', '/api/me/progress')).json();
    expect(own.nextObjectives).toEqual(['Annoncer systématiquement l’enregistrement', 'Conclure par un récapitulatif']);
    expect(own.nextReviewDate).toBe('2026-11-05');
    expect((await api('trainer', 'GET', `/api/assessment/reviews/${r.json().id}`)).statusCode).toBe(200);
    expect((await audit('review.view')).length).toBe(1);
  });
});

describe('site scope', () => {
  it('a trainer attached to another site sees none of these trainees; one of their site does', async () => {
    const other = await ctx.app.db.insertInto('sites').values({ name: 'Autre site', timeZone: 'America/Martinique' }).returning('id').executeTakeFirstOrThrow();
    const passwordHash = await hashPassword(PASSWORD);
    await ctx.app.db
      .insertInto('users')
      .values([
        { username: 'far@test', displayName: 'Formateur distant', role: 'trainer', siteId: other.id, partnerId: null, passwordHash },
        { username: 'near@test', displayName: 'Formateur du site', role: 'trainer', siteId: fx.siteId, partnerId: null, passwordHash },
      ])
      .execute();
    const far = await login(ctx.app, 'far@test', OUTSIDE_IP);
    const near = await login(ctx.app, 'near@test', OUTSIDE_IP);
    const as = (who: LoggedIn, url: string) => ctx.app.inject({ url, headers: who.headers, remoteAddress: OUTSIDE_IP });
    const finals = (await api('trainer', 'GET', `/api/assessment/evaluations?traineeId=${fx.users.trainee.id}&status=final`)).json().evaluations;
    const one = finals[0].id as string;

    expect((await as(far, '/api/assessment/evaluations')).json().evaluations).toEqual([]);
    expect((await as(far, `/api/assessment/evaluations/${one}`)).statusCode).toBe(404);
    expect((await as(far, `/api/assessment/trainees/${fx.users.trainee.id}/progress`)).statusCode).toBe(404);
    expect((await as(far, `/api/assessment/trainees/${fx.users.trainee.id}/reviews`)).statusCode).toBe(404);
    expect((await as(far, `/api/assessment/trainees/${fx.users.trainee.id}/portfolio.html`)).statusCode).toBe(404);
    expect((await as(far, '/api/assessment/progress/matrix')).json().rows).toEqual([]);
    expect((await as(far, '/api/assessment/reviews/reminders')).json().reminders).toEqual([]);
    const create = await ctx.app.inject({ method: 'POST', url: '/api/assessment/evaluations', headers: far.headers, remoteAddress: OUTSIDE_IP, payload: { attemptId: attempt1 } });
    expect(create.statusCode).toBe(404);

    expect((await as(near, '/api/assessment/evaluations')).json().evaluations.map((e: { id: string }) => e.id)).toContain(one);
    expect((await as(near, `/api/assessment/evaluations/${one}`)).statusCode).toBe(200);
    expect((await as(near, '/api/assessment/progress/matrix')).json().rows.map((r: { traineeId: string }) => r.traineeId)).toContain(fx.users.trainee.id);
  });
});

describe('retention', () => {
  it('the job deletes expired evaluations (and their comments, links, notices) and audits it', async () => {
    expect(ctx.app.workers.names()).toContain('assessment-retention');
    const d = await draft('trainer', { attemptId: attempt2 });
    await api('trainer', 'POST', `/api/assessment/evaluations/${d.id}/comments`, { atMs: 1000, body: 'À supprimer.' });
    const kept = await draft('trainer', { attemptId: attempt2 });
    const created = await ctx.app.db.selectFrom('evaluations').select('deleteAfter').where('id', '=', kept.id).executeTakeFirstOrThrow();
    // One year by default.
    expect(Math.round((created.deleteAfter.getTime() - Date.now()) / 86_400_000)).toBe(365);
    await ctx.app.db.updateTable('evaluations').set({ deleteAfter: new Date(Date.now() - 1000) }).where('id', '=', d.id).execute();

    const counts = await purgeExpiredAssessments(ctx.app.db, ctx.app.audit);
    expect(counts.evaluations).toBe(1);
    expect(await ctx.app.db.selectFrom('evaluations').select('id').where('id', '=', d.id).executeTakeFirst()).toBeUndefined();
    expect(await ctx.app.db.selectFrom('evaluationComments').select('id').where('evaluationId', '=', d.id).executeTakeFirst()).toBeUndefined();
    expect(await ctx.app.db.selectFrom('evaluations').select('id').where('id', '=', kept.id).executeTakeFirst()).toBeDefined();
    const entry = (await audit('assessment.retention_purge')).at(-1)!;
    expect(entry.details).toMatchObject({ evaluations: 1, evaluationIds: [d.id] });
    expect(entry.actorUserId).toBeNull();
    expect((await purgeExpiredAssessments(ctx.app.db, ctx.app.audit)).evaluations).toBe(0);
    expect((await audit('assessment.retention_purge')).length).toBe(1);
  });

  it('the retention period is configurable, at most one year', async () => {
    const { loadConfig } = await import('../src/config.ts');
    const env = { DATABASE_URL: ctx.databaseUrl, SESSION_SECRET: 'x'.repeat(32), MASTER_KEY: '11'.repeat(32), LOOKUP_HMAC_KEY: '22'.repeat(32) };
    expect(loadConfig({ ...env, EVALUATION_RETENTION_DAYS: '90' }).EVALUATION_RETENTION_DAYS).toBe(90);
    expect(() => loadConfig({ ...env, EVALUATION_RETENTION_DAYS: '400' })).toThrow(/EVALUATION_RETENTION_DAYS/);
    const total = await ctx.app.db.selectFrom('evaluations').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    expect(total.n).toBeGreaterThan(0);
  });
});
