import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, PASSWORD, saveScreenshot, type LaunchedBrowser } from './harness/index.ts';
import { decryptedRecording, startTelephonyTestStack, type TelephonyTestStack } from './harness/telephony.ts';
import { rms } from '../server/src/modules/recordings/audio.ts';

/**
 * A live practice call (mise en situation) through the real platform: the trainer starts it from
 * the supervisor console, the trainee accepts in the agent console, the agent's softphone dials
 * the practice token, Kamailio routes it to the trainer's registered browser through rtpengine
 * (recording on); audio flows both ways (WebRTC stats in both pages), the trainer hangs up, the
 * recording is stored encrypted and decodes to sound, and the trainer scores it.
 */
describe('practice call between a trainer and a trainee browser', () => {
  let stack: TelephonyTestStack;
  let traineeBrowser: LaunchedBrowser;
  let trainerBrowser: LaunchedBrowser;
  let trainee: Page;
  let trainer: Page;
  let practiceCallId: string;
  const figures: Record<string, number> = {};

  const db = () => stack.server.app.db;
  const practice = () => db().selectFrom('practiceCalls').selectAll().where('id', '=', practiceCallId).executeTakeFirstOrThrow();
  const bytes = async (page: Page, which: 'sent' | 'received') => Number((await page.getByTestId('phone-audio').getAttribute(`data-bytes-${which}`).catch(() => '0')) ?? 0);

  async function signIn(page: Page, app: 'agent' | 'supervisor', username: string) {
    await page.goto(`${stack.server.url}/${app}/`);
    await page.getByLabel('Identifiant').fill(username);
    await page.getByLabel('Mot de passe').fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
  }

  beforeAll(async () => {
    stack = await startTelephonyTestStack();
    const fx = stack.server.fixture!;
    traineeBrowser = await launchBrowser();
    trainee = await traineeBrowser.context.newPage();
    await signIn(trainee, 'agent', fx.users.trainee.username);
    await trainee.waitForURL('**/agent/verification');
    trainerBrowser = await launchBrowser();
    trainer = await trainerBrowser.context.newPage();
    await signIn(trainer, 'supervisor', fx.users.trainer.username);
    await trainer.waitForURL('**/supervisor/plateau');
  }, 180_000);

  afterAll(async () => {
    console.log('practice call figures', JSON.stringify(figures));
    await traineeBrowser?.close();
    await trainerBrowser?.close();
    await new Promise((r) => setTimeout(r, 1500));
    await stack?.close();
  });

  it('the trainer starts the practice call; the trainee sees the scenario without the customer’s role and accepts', async () => {
    const fx = stack.server.fixture!;
    await trainer.goto(`${stack.server.url}/supervisor/mises-en-situation`);
    await trainer.getByLabel('Stagiaire').selectOption(fx.users.trainee.id);
    await trainer.getByLabel('Scénario').selectOption('after_sales');
    await trainer.getByRole('button', { name: /Appeler le stagiaire/ }).click();
    const panel = trainer.getByTestId('practice-live');
    await panel.waitFor();
    practiceCallId = (await db().selectFrom('practiceCalls').select('id').where('traineeId', '=', fx.users.trainee.id).where('status', '=', 'invited').executeTakeFirstOrThrow()).id;
    // The trainer's line registers (short-lived credentials for this browser).
    await panel.getByRole('status').filter({ hasText: 'Ligne prête' }).waitFor({ timeout: 20_000 });
    expect(await panel.textContent()).toContain('Client agacé'); // the customer's role, for the trainer

    const invite = trainee.getByTestId('practice-panel');
    await invite.waitFor({ timeout: 15_000 });
    const seen = (await invite.textContent()) ?? '';
    expect(seen).toContain('Service après-vente');
    expect(seen).not.toContain('Client agacé');
    expect(seen).not.toContain('Promettre ce que le partenaire ne peut pas tenir'); // a pitfall
    await saveScreenshot(trainee, 'agent-practice-invitation');
    await invite.getByRole('button', { name: 'Accepter et appeler' }).click({ timeout: 20_000 });
  });

  it('rings in the trainer’s browser; once answered, audio flows both ways', async () => {
    const panel = trainer.getByTestId('practice-live');
    await panel.getByRole('button', { name: /Décrocher/ }).click({ timeout: 20_000 });
    await trainee.getByTestId('phone-controls').and(trainee.locator('[data-status="in_call"]')).waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await practice()).status, { timeout: 10_000 }).toBe('in_call');
    for (const [page, who] of [
      [trainee, 'trainee'],
      [trainer, 'trainer'],
    ] as const) {
      await expect.poll(() => bytes(page, 'received'), { timeout: 15_000 }).toBeGreaterThan(8000);
      await expect.poll(() => bytes(page, 'sent'), { timeout: 15_000 }).toBeGreaterThan(8000);
      figures[`${who}BytesReceived`] = await bytes(page, 'received');
      figures[`${who}BytesSent`] = await bytes(page, 'sent');
    }
    await saveScreenshot(trainer, 'supervisor-practice-call');
  });

  it('the trainer (customer) hangs up: the call ends for both, the recording is stored encrypted and is sound', async () => {
    await new Promise((r) => setTimeout(r, 1500));
    await trainer.getByTestId('practice-live').getByRole('button', { name: /Raccrocher/ }).click();
    await trainee.getByTestId('phone-controls').and(trainee.locator('[data-status="ended"]')).waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await practice()).recordingStatus, { timeout: 30_000 }).toBe('stored');
    const p = await practice();
    expect(p).toMatchObject({ status: 'ended', hungUpBy: 'customer' });
    figures.callSeconds = (p.endedAt!.getTime() - p.answeredAt!.getTime()) / 1000;
    const rec = await db().selectFrom('recordings').selectAll().where('practiceCallId', '=', practiceCallId).executeTakeFirstOrThrow();
    expect(rec.id).toBe(p.recordingId);
    expect(rec.attemptId).toBeNull();
    const samples = await decryptedRecording(stack.server.app, rec);
    figures.recordingMs = rec.durationMs;
    figures.recordingRms = Math.round(rms(samples) * 1000) / 1000;
    expect(rms(samples)).toBeGreaterThan(0.005);
    expect(rec.durationMs).toBeGreaterThan(2000);
    const audit = await db().selectFrom('auditLog').select('action').where('targetId', '=', practiceCallId).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['practice_call.start', 'practice_call.accept', 'practice_call.ended', 'practice_call.recording_stored']);
    // No campaign offer reached the trainee meanwhile: still paused, its own to resume.
    const state = await stack.server.app.dialer.agents.get(stack.server.fixture!.users.trainee.id);
    expect(state?.status).toBe('paused');
  });

  it('the trainer scores it from the recording like any call, marked as practice', async () => {
    const panel = trainer.getByTestId('practice-live');
    await panel.getByRole('button', { name: 'Évaluer' }).click({ timeout: 15_000 });
    await trainer.waitForURL('**/supervisor/evaluations/*');
    await trainer.locator('.rec-player[data-ready="true"]').waitFor({ timeout: 20_000 });
    const evaluationId = trainer.url().split('/').pop()!;
    const radios = trainer.locator('input[type="radio"][value="3"]');
    for (let i = 0; i < (await radios.count()); i++) await radios.nth(i).check();
    await trainer.getByRole('button', { name: 'Rendre définitive' }).click();
    await trainer.getByRole('dialog').getByRole('button', { name: 'Rendre définitive' }).click();
    await trainer.getByText('Évaluation rendue définitive : le stagiaire est prévenu.').waitFor();
    const ev = await db().selectFrom('evaluations').selectAll().where('id', '=', evaluationId).executeTakeFirstOrThrow();
    expect(ev).toMatchObject({ status: 'final', subject: 'practice', isPractice: true, practiceCallId });
    expect(ev.overall).toBe(3);
    await saveScreenshot(trainer, 'supervisor-practice-scored');
  });
});
