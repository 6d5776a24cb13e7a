import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScorecardGrid } from '@passerelle/shared/scoring';
import { scorecardGridSchema } from '@passerelle/shared/scoring-schema';
import { startTestApp, type TestContext } from './app.ts';
import { login, OUTSIDE_IP, SEAT_IP, seedFixture, type Fixture, type LoggedIn } from './fixtures.ts';
import { makeCampaign } from './vault-fixtures.ts';
import { answersAll, makeAttempt, storeRecording } from './assessment-fixtures.ts';

/** Share of pixels darker than near-white in an 8-bit PNG (gray, RGB or RGBA, as pdftoppm writes). */
function inkRatio(png: Buffer): number {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  expect(png[24]).toBe(8);
  const bpp = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[png[25]!]!;
  const idat: Buffer[] = [];
  for (let off = 8; off < png.length; ) {
    const len = png.readUInt32BE(off);
    if (png.toString('ascii', off + 4, off + 8) === 'IDAT') idat.push(png.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  let prev = Buffer.alloc(stride);
  let ink = 0;
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? line[x - bpp]! : 0;
      const b = prev[x]!;
      const c = x >= bpp ? prev[x - bpp]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const pred = [0, a, b, (a + b) >> 1, paeth][filter]!;
      line[x] = (line[x]! + pred) & 0xff;
    }
    for (let x = 0; x < width; x++) if (line[x * bpp]! < 200) ink++;
    prev = line;
  }
  return ink / (width * height);
}

let ctx: TestContext;
let fx: Fixture;
let trainer: LoggedIn;
let trainee: LoggedIn;
let trainee2: LoggedIn;
let grid: ScorecardGrid;
let recordingId: string;
let evalId: string;

beforeAll(async () => {
  const spool = mkdtempSync(path.join(tmpdir(), 'asx-spool-'));
  ctx = await startTestApp({ LOGIN_RATE_PER_MIN: '1000', TELEPHONY_SPOOL_DIR: spool });
  fx = await seedFixture(ctx.app);
  trainer = await login(ctx.app, fx.users.trainer.username, OUTSIDE_IP);
  trainee = await login(ctx.app, fx.users.trainee.username, SEAT_IP);
  trainee2 = await login(ctx.app, fx.users.trainee2.username, SEAT_IP);
  const campaignId = await makeCampaign(ctx.app, fx.partnerA, { name: 'Campagne Secrète Opticiens', type: 'loyalty' });
  const attemptId = await makeAttempt(ctx.app, { campaignId, partnerId: fx.partnerA, agentUserId: fx.users.trainee.id, answeredAt: new Date('2026-10-05T15:00:00Z'), talkSeconds: 20 });
  recordingId = await storeRecording(ctx.app, { attemptId, campaignId, seconds: 20 });
  const list = (await ctx.app.inject({ url: '/api/assessment/scorecards', headers: trainer.headers, remoteAddress: OUTSIDE_IP })).json();
  const defaultId = list.scorecards.find((x: { isDefault: boolean }) => x.isDefault).id;
  grid = scorecardGridSchema.parse((await ctx.app.inject({ url: `/api/assessment/scorecards/${defaultId}`, headers: trainer.headers, remoteAddress: OUTSIDE_IP })).json().grid);
});
afterAll(() => ctx?.close());

const asTrainer = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => ctx.app.inject({ method, url, headers: trainer.headers, remoteAddress: OUTSIDE_IP, ...(payload ? { payload } : {}) });

describe('scoring a recorded call and sharing an excerpt', () => {
  it('the evaluation carries the recording’s precomputed waveform', async () => {
    const r = await asTrainer('POST', '/api/assessment/evaluations', { recordingId });
    expect(r.statusCode, r.body).toBe(201);
    evalId = r.json().id;
    expect(r.json()).toMatchObject({ subject: 'recording', campaignType: 'loyalty', callDurationS: 20 });
    expect(r.json().recording.id).toBe(recordingId);
    expect(r.json().recording.durationMs).toBe(20_000);
    expect(r.json().recording.peaks).toHaveLength(200);
    // The tone swells and fades (tremolo): the waveform is not flat.
    const peaks: number[] = r.json().recording.peaks;
    expect(Math.max(...peaks) - Math.min(...peaks)).toBeGreaterThan(0.3);
  });

  it('the trainee hears only the shared excerpt of their own call', async () => {
    await asTrainer('POST', `/api/assessment/evaluations/${evalId}/comments`, { atMs: 12_000, body: 'Objection bien accueillie.', criterionId: 'traitement_objections' });
    expect((await asTrainer('PATCH', `/api/assessment/evaluations/${evalId}`, { shareExcerpt: true, excerptStartMs: 10_000, excerptEndMs: 15_000, answers: answersAll(grid, 3, { traitement_objections: 4 }) })).statusCode).toBe(200);
    expect((await asTrainer('POST', `/api/assessment/evaluations/${evalId}/finalize`)).statusCode).toBe(200);

    const mine = await ctx.app.inject({ url: `/api/me/evaluations/${evalId}`, headers: trainee.headers, remoteAddress: SEAT_IP });
    expect(mine.json().excerpt).toMatchObject({ startMs: 10_000, endMs: 15_000 });
    expect(mine.json().excerpt.peaks).toHaveLength(50);
    const audio = await ctx.app.inject({ url: `/api/me/evaluations/${evalId}/excerpt`, headers: trainee.headers, remoteAddress: SEAT_IP });
    expect(audio.statusCode).toBe(200);
    expect(audio.headers['content-type']).toBe('audio/wav');
    expect(audio.rawPayload.readUInt32LE(40)).toBe(5 * 8000 * 2); // 5 s of 16-bit 8 kHz mono
    const audit = await ctx.app.db.selectFrom('auditLog').select(['actorUserId', 'targetId']).where('action', '=', 'recording.excerpt_play').execute();
    expect(audit).toEqual([{ actorUserId: fx.users.trainee.id, targetId: recordingId }]);
    expect((await ctx.app.inject({ url: `/api/me/evaluations/${evalId}/excerpt`, headers: trainee2.headers, remoteAddress: SEAT_IP })).statusCode).toBe(404);
    expect((await ctx.app.inject({ url: `/api/recordings/${recordingId}/audio`, headers: trainee.headers, remoteAddress: SEAT_IP })).statusCode).toBe(403);
  });
});

describe('evidence portfolio', () => {
  beforeAll(async () => {
    await asTrainer('POST', '/api/assessment/reviews', {
      traineeId: fx.users.trainee.id,
      kind: 'initial',
      reviewDate: '2026-10-06',
      competencyLevels: { ouverture: 3, action_commerciale: 2 },
      objectives: ['Conclure par un récapitulatif'],
      evaluationIds: [evalId],
      nextReviewDate: '2026-11-06',
    });
  });

  it('HTML: pseudonym, dates, scores, comments and reviews, without partner or campaign data; audited', async () => {
    const r = await asTrainer('GET', `/api/assessment/trainees/${fx.users.trainee.id}/portfolio.html`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/html');
    const html = r.body;
    for (const expected of ['Conseiller trainee', 'CCP1', 'CCP2', 'Objection bien accueillie.', '00:12', 'Bilan pédagogique initial', 'Conclure par un récapitulatif', '05/10/2026', 'Fidélisation']) {
      expect(html, expected).toContain(expected);
    }
    for (const forbidden of ['Opticiens', 'Partenaire A', fx.partnerA, recordingId]) expect(html).not.toContain(forbidden);
    const audit = await ctx.app.db.selectFrom('auditLog').select(['targetId', 'details']).where('action', '=', 'portfolio.export').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ targetId: fx.users.trainee.id, details: { format: 'html', evaluations: [evalId] } });
  });

  it('refuses evaluations of another trainee in the selection', async () => {
    const r = await asTrainer('GET', `/api/assessment/trainees/${fx.users.trainee2.id}/portfolio.html?evaluationIds=${evalId}`);
    expect(r.statusCode).toBe(400);
  });

  it('PDF renders with the expected pages, none blank', async () => {
    const r = await asTrainer('GET', `/api/assessment/trainees/${fx.users.trainee.id}/portfolio.pdf?evaluationIds=${evalId}`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    const pdf = r.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = mkdtempSync(path.join(tmpdir(), 'asx-pdf-'));
    writeFileSync(path.join(dir, 'portfolio.pdf'), pdf);
    execFileSync('pdftoppm', ['-png', '-gray', '-r', '40', path.join(dir, 'portfolio.pdf'), path.join(dir, 'page')]);
    const pages = readdirSync(dir).filter((f) => f.endsWith('.png')).sort();
    // Cover and summary, calls per competency, call details, reviews: each section starts a page.
    expect(pages).toHaveLength(4);
    for (const p of pages) expect(inkRatio(readFileSync(path.join(dir, p))), p).toBeGreaterThan(0.002);
    // A blank page really reads as blank to the check above.
    execFileSync('chromium', ['--headless', '--no-sandbox', '--disable-gpu', `--user-data-dir=${path.join(dir, 'profile')}`, `--print-to-pdf=${path.join(dir, 'blank.pdf')}`, '--no-pdf-header-footer', 'about:blank'], { stdio: 'ignore' });
    execFileSync('pdftoppm', ['-png', '-gray', '-r', '40', path.join(dir, 'blank.pdf'), path.join(dir, 'blank')]);
    const blank = readdirSync(dir).find((f) => f.startsWith('blank') && f.endsWith('.png'))!;
    expect(inkRatio(readFileSync(path.join(dir, blank)))).toBe(0);
    expect((await ctx.app.db.selectFrom('auditLog').select('details').where('action', '=', 'portfolio.export').execute()).map((a) => (a.details as { format: string }).format)).toEqual(['html', 'pdf']);
  });
});
