import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeCampaign } from '../server/test/vault-fixtures.ts';
import { answersAll, makeAttempt, storeRecording } from '../server/test/assessment-fixtures.ts';
import { login } from '../server/test/fixtures.ts';
import { ensureConsolesBuilt, finishPage, launchBrowser, saveScreenshot, signIn as signInTo, startServer, type LaunchedBrowser, type RunningServer } from './harness/index.ts';

let server: RunningServer;
let browser: LaunchedBrowser;
let page: Page;
let recordingId: string;

const signIn = (console: 'agent' | 'supervisor', username: string) => signInTo(page, server.url, console, username);

/** The agent console starts the shift with the headset check; then « Ma progression » from the menu. */
async function openMyProgress() {
  await page.waitForURL('**/agent/verification');
  await page.getByRole('button', { name: 'Oui, je l’ai entendu' }).click();
  await page.getByRole('button', { name: 'Commencer ma journée' }).click();
  await page.waitForURL((u) => !u.pathname.endsWith('/verification'));
  await page.locator('.topbar-nav').getByRole('link', { name: 'Ma progression' }).click();
  await page.waitForURL('**/agent/progression');
}
const playerTime = () => page.getByTestId('player-time').textContent();
/** Clicks the waveform at a time (the layout may have moved since the last click). */
async function clickWaveAt(seconds: number, total = 20) {
  const box = (await page.locator('canvas.rec-wave').boundingBox())!;
  await page.mouse.click(box.x + box.width * (seconds / total), box.y + box.height / 2);
}
const audioTime = () => page.evaluate<number>('document.querySelector(".rec-player audio").currentTime');

describe('scoring a recorded call in the supervisor console', () => {
  beforeAll(async () => {
    ensureConsolesBuilt();
    server = await startServer({ env: { TELEPHONY_SPOOL_DIR: mkdtempSync(path.join(tmpdir(), 'asx-e2e-spool-')) } });
    const fx = server.fixture!;
    const campaignId = await makeCampaign(server.app, fx.partnerA, { name: 'Campagne Secrète Opticiens', type: 'appointment' });
    const attemptId = await makeAttempt(server.app, { campaignId, partnerId: fx.partnerA, agentUserId: fx.users.trainee.id, answeredAt: new Date('2026-11-20T14:00:00Z'), talkSeconds: 20 });
    // A real recording: sox audio → RTP pcap → the telephony module's converter → encrypted WAV.
    recordingId = await storeRecording(server.app, { attemptId, campaignId, seconds: 20 });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  afterEach(() => finishPage(browser, page));

  it('the trainer loads the waveform, comments at 00:12, jumps back to 00:12, scores and finalizes', async () => {
    page = await browser.context.newPage();
    await signIn('supervisor', 'trainer@test');
    await page.waitForURL('**/supervisor/plateau');
    await page.getByRole('link', { name: 'Évaluations' }).click();
    await page.getByLabel('Évaluer').selectOption('recordingId');
    await page.getByLabel('Référence').fill(recordingId);
    await page.getByRole('button', { name: 'Commencer' }).click();
    await page.waitForURL('**/supervisor/evaluations/*');
    await page.getByRole('heading', { name: 'Évaluation — Conseiller trainee' }).waitFor();

    // The waveform comes from the precomputed peaks and is drawn; the audio is loaded.
    await page.locator('.rec-player[data-ready="true"]').waitFor();
    const wave = page.getByRole('slider', { name: 'Position dans l’enregistrement' });
    expect(await wave.getAttribute('data-peaks')).toBe('200');
    const inked = await page.evaluate<number>(`(() => {
      const c = document.querySelector('canvas.rec-wave');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
      return n / (c.width * c.height);
    })()`);
    expect(inked).toBeGreaterThan(0.05);
    expect(await playerTime()).toBe('00:00 / 00:20');

    // Speed control.
    await page.getByLabel('Vitesse').selectOption('1.5');
    expect(await page.evaluate<number>('document.querySelector(".rec-player audio").playbackRate')).toBe(1.5);

    // Click on the waveform at 12.5 s, comment there.
    await clickWaveAt(12.5);
    await expect.poll(playerTime).toBe('00:12 / 00:20');
    await page.getByLabel('Commentaire à la position actuelle').fill('Mention de l’enregistrement oubliée.');
    await page.getByRole('button', { name: 'Ajouter' }).click();
    const stamp = page.locator('.comment-list').getByRole('button', { name: '00:12' });
    await stamp.waitFor();
    await saveScreenshot(page, 'assessment-player');

    // Move away, then the comment jumps back to 00:12.
    await clickWaveAt(2.5);
    await expect.poll(playerTime).toBe('00:02 / 00:20');
    await stamp.click();
    await expect.poll(playerTime).toBe('00:12 / 00:20');
    const t = await audioTime();
    expect(t).toBeGreaterThanOrEqual(12);
    expect(t).toBeLessThan(13);
    expect(await wave.getAttribute('aria-valuenow')).toBe('12');

    // Playback advances from there.
    await page.getByRole('button', { name: 'Lecture' }).click();
    await expect.poll(audioTime, { timeout: 10_000 }).toBeGreaterThan(13);
    await page.getByRole('button', { name: 'Pause' }).click();

    // Score every criterion "Acquis", the critical recording notice "Non acquis": capped.
    const radios = page.locator('input[type="radio"][value="3"]');
    for (let i = 0; i < (await radios.count()); i++) await radios.nth(i).check();
    await page.getByRole('radiogroup', { name: 'Information sur l’enregistrement' }).locator('input[value="1"]').check();
    await page.getByText('Élément critique manqué : le score est plafonné à 2,00.').waitFor();
    expect(await page.getByTestId('overall-score').textContent()).toBe('2,00');
    await page.getByLabel('Points forts').fill('Accueil souriant, découverte structurée.');
    // A comment added while scoring keeps the answers not yet saved (they used to be wiped).
    await page.getByLabel('Commentaire à la position actuelle').fill('Bonne reformulation.');
    await page.getByRole('button', { name: 'Ajouter' }).click();
    await page.getByText('Bonne reformulation.').waitFor();
    expect(await page.getByTestId('overall-score').textContent()).toBe('2,00');
    expect(await page.getByLabel('Points forts').inputValue()).toBe('Accueil souriant, découverte structurée.');
    await saveScreenshot(page, 'assessment-scoring');
    // Irreversible and the trainee is told: confirmed first.
    await page.getByRole('button', { name: 'Rendre définitive' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rendre définitive' }).click();
    await page.getByText('Évaluation rendue définitive : le stagiaire est prévenu.').waitFor();
    expect(await page.getByTestId('evaluation-status').textContent()).toBe('Définitive');
    expect(await page.getByRole('button', { name: 'Rendre définitive' }).count()).toBe(0);
    // Playing the recording was audited.
    const played = await server.app.db.selectFrom('auditLog').select('targetId').where('action', '=', 'recording.play').execute();
    expect(played.map((p) => p.targetId)).toContain(recordingId);
  });

  it('the trainee sees the final evaluation and the moment commented in « Ma progression »', async () => {
    page = await browser.context.newPage();
    await signIn('agent', 'trainee@test');
    await openMyProgress();
    await page.getByRole('heading', { name: 'Mes évaluations' }).waitFor();
    await page.getByRole('button', { name: 'Voir le détail' }).click();
    await page.getByText('Mention de l’enregistrement oubliée.').waitFor();
    expect(await page.locator('.moment-time').first().textContent()).toBe('00:12');
    expect(await page.getByText('Accueil souriant, découverte structurée.').count()).toBe(1);
    expect(await page.getByText('Score plafonné : un élément obligatoire a manqué').count()).toBe(1);
    expect(await page.content()).not.toContain('Opticiens');
    await saveScreenshot(page, 'assessment-my-progress');
  });

  it('no other trainee sees it', async () => {
    page = await browser.context.newPage();
    await signIn('agent', 'trainee2@test');
    await openMyProgress();
    await page.getByText('Aucune évaluation publiée pour le moment.').waitFor();
    expect(await page.getByRole('heading', { name: 'Mes évaluations' }).count()).toBe(0);
  });

  it('calibration: blind until the trainer submits, then spread and agreement', async () => {
    const app = server.app;
    const [trainer, admin] = [await login(app, 'trainer@test'), await login(app, 'admin@test')];
    const call = (who: typeof trainer, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => app.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) }).then((r) => r.json());
    const session = await call(admin, 'POST', '/api/assessment/calibrations', { title: 'Calibrage novembre', recordingId });
    const grid = (await call(admin, 'GET', `/api/assessment/scorecards/${session.scorecardId}`)).grid;
    const theirs = (await call(admin, 'POST', `/api/assessment/calibrations/${session.id}/join`)).evaluationId;
    await call(admin, 'PATCH', `/api/assessment/evaluations/${theirs}`, { answers: answersAll(grid, 3, { accueil_presentation: 4 }) });
    await call(admin, 'POST', `/api/assessment/evaluations/${theirs}/finalize`);

    page = await browser.context.newPage();
    await signIn('supervisor', 'trainer@test');
    await page.waitForURL('**/supervisor/plateau');
    await page.getByRole('link', { name: 'Calibrage' }).click();
    await page.getByRole('link', { name: 'Calibrage novembre' }).click();
    await page.getByText('Notation à l’aveugle : les notes des autres formateurs s’affichent quand vous avez soumis la vôtre.').waitFor();
    expect(await page.getByRole('table').count()).toBe(0);
    await page.getByRole('button', { name: 'Noter à l’aveugle' }).click();
    await page.waitForURL('**/supervisor/evaluations/*');
    await page.locator('.rec-player[data-ready="true"]').waitFor();
    const radios = page.locator('input[type="radio"][value="3"]');
    for (let i = 0; i < (await radios.count()); i++) await radios.nth(i).check();
    await page.getByRole('button', { name: 'Rendre définitive' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rendre définitive' }).click();
    await page.getByText('Notation soumise : les notes des autres formateurs sont visibles dans la séance.').waitFor();
    await page.getByRole('link', { name: 'Retour à la séance de calibrage' }).click();
    await page.getByRole('table', { name: 'Dispersion par critère' }).waitFor();
    // 14 criteria rated by both; they differ on one (accueil 4 vs 3): 13/14 pairs agree.
    expect(await page.getByTestId('exact-agreement').textContent()).toBe('92,9 %');
    await saveScreenshot(page, 'assessment-calibration');
    // Calibration scorings never reach the trainee.
    expect((await call(trainer, 'GET', '/api/assessment/evaluations')).evaluations.some((e: { calibrationSessionId: string | null }) => e.calibrationSessionId)).toBe(false);
  });

  it('copy and adapt a scorecard: a new version, the old one kept', async () => {
    page = await browser.context.newPage();
    await signIn('supervisor', 'trainer@test');
    await page.waitForURL('**/supervisor/plateau');
    await page.getByRole('link', { name: 'Grilles' }).click();
    await page.getByRole('row', { name: /Grille CRCD/ }).getByRole('button', { name: 'Ouvrir' }).click();
    await page.getByRole('button', { name: 'Copier et adapter' }).click();
    await page.getByLabel('Poids de « Communiquer à distance »').fill('2');
    await page.getByLabel('Plafond si élément critique manqué').fill('2.5');
    await page.getByText('Le plafond en cas d’élément critique manqué doit être sous le seuil de réussite.').waitFor();
    expect(await page.getByRole('button', { name: 'Enregistrer', exact: true }).isDisabled()).toBe(true);
    await page.getByLabel('Plafond si élément critique manqué').fill('2');
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page.getByText('« Grille CRCD (RNCP35304) » version 2 enregistrée.').waitFor();
    const versions = await server.app.db.selectFrom('scorecards').select(['version', 'grid']).orderBy('version').execute();
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[0]!.grid.competencies.find((c) => c.id === 'communication')!.weight).toBe(1);
    expect(versions[1]!.grid.competencies.find((c) => c.id === 'communication')!.weight).toBe(2);
  });
});
