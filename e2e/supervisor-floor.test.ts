import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { AckResult, OfferPayload } from '@passerelle/shared/events';
import { callProgress } from '../server/src/modules/calls/progress.ts';
import { resolveCallToken } from '../server/src/modules/dialer/call-tokens.ts';
import { ask, connectAs, Recorder, seedRunningCampaign, wednesdayOffsetMin, type AgentClient, type SeededCampaign } from '../server/test/dialer-fixtures.ts';
import { login, type Fixture } from '../server/test/fixtures.ts';
import { ensureConsolesBuilt, expectCleanPages, launchBrowser, saveScreenshot, signIn, startServer, type LaunchedBrowser, type RunningServer } from './harness/index.ts';
import { startTelephonyTestStack, type TelephonyTestStack } from './harness/telephony.ts';

/**
 * The trainer's live floor against the real server: a trainee driven over its real /agent socket
 * (and the real call-progress interface the telephony feeds) goes Ready → offered → in call →
 * wrap-up; the trainer sees each state with its timers and forces a pause, which is audited.
 */
let server: RunningServer;
let fx: Fixture;
let browser: LaunchedBrowser;
let page: Page;
let agent: AgentClient;
let campaign: SeededCampaign;
const agentLog = new Recorder();

const row = () => page.locator(`tr[data-user-id="${fx.users.trainee.id}"]`);
const stateText = () => row().getByTestId('state').textContent();
const seconds = (mmss: string | null) => {
  const [m, s] = (mmss ?? '').trim().split(':').map(Number);
  return m! * 60 + s!;
};

beforeAll(async () => {
  ensureConsolesBuilt();
  server = await startServer({ env: { DIALER_RULES_CLOCK_OFFSET_MIN: String(wednesdayOffsetMin()), LOGIN_RATE_PER_MIN: '1000' } });
  fx = server.fixture!;
  // The trainee is not on the campaign yet, so that Ready stays Ready until it is assigned.
  campaign = await seedRunningCampaign(server.app, fx, { count: 3, trainees: [fx.users.trainee2.id] });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await signIn(page, server.url, 'supervisor', fx.users.trainer.username);
  await page.waitForURL('**/supervisor/plateau');
  await page.getByText('Temps réel actif').waitFor();
}, 120_000);

afterAll(async () => {
  agent?.disconnect();
  await browser?.close();
  // The dialer checks a closed console's state 2 s after its socket left: let it finish first.
  await new Promise((r) => setTimeout(r, 2500));
  await server?.close();
});

describe('live floor', () => {
  it('shows the trainee as soon as its console connects, then Ready with a running timer', async () => {
    const trainee = await login(server.app, fx.users.trainee.username, '127.0.0.1');
    agent = connectAs<AgentClient>(server.url, '/agent', trainee.cookie);
    agentLog.attach(agent);
    await agentLog.next('snapshot');
    await expect.poll(stateText).toBe('En pause · Pause');
    expect(await row().locator('th').textContent()).toContain('Conseiller trainee');
    expect(await ask<AckResult>((ack) => agent.emit('ready', ack))).toEqual({ ok: true });
    await expect.poll(stateText).toBe('Prêt');
    const t0 = seconds(await row().getByTestId('state-timer').textContent());
    expect(t0).toBeLessThan(3);
    await expect.poll(async () => seconds(await row().getByTestId('state-timer').textContent()), { timeout: 5000 }).toBeGreaterThanOrEqual(t0 + 2);
    await saveScreenshot(page, 'supervisor-floor-ready');
  });

  it('raises a trainee’s help request at once, and lets the trainer take it', async () => {
    const trainee = await login(server.app, fx.users.trainee.username, '127.0.0.1');
    const raised = await server.app.inject({ method: 'POST', url: '/api/help-requests', headers: trainee.headers, remoteAddress: '127.0.0.1' });
    expect(raised.statusCode, raised.body).toBe(200);
    await page.getByTestId('help-banner').waitFor();
    expect(await page.getByTestId('help-banner').textContent()).toContain('1 demande d’aide en attente');
    expect(await row().getAttribute('class')).toContain('floor-alert-help');
    await saveScreenshot(page, 'supervisor-floor-help');
    await row().getByRole('button', { name: 'Je m’en occupe' }).click();
    await expect.poll(() => row().getByTestId('help-badge').textContent()).toContain('Pris en charge par');
    expect(await page.getByTestId('help-banner').count()).toBe(0);
    await row().getByRole('button', { name: 'Clore' }).click();
    await expect.poll(() => row().getByTestId('help-badge').count()).toBe(0);
  });

  it('follows the offer, the dialing and the answered call with its duration', async () => {
    const admin = await login(server.app, fx.users.admin.username, '127.0.0.1');
    const put = await server.app.inject({
      method: 'PUT',
      url: `/api/campaigns/${campaign.campaignId}/trainees`,
      headers: admin.headers,
      remoteAddress: '127.0.0.1',
      payload: { traineeIds: [fx.users.trainee.id, fx.users.trainee2.id] },
    });
    expect(put.statusCode).toBe(200);
    const mark = agentLog.mark;
    expect(await ask<AckResult>((ack) => agent.emit('ready', ack))).toEqual({ ok: true });
    const offer = await agentLog.next<OfferPayload>('offer', () => true, mark);
    await expect.poll(stateText).toBe('Proposition');
    await expect.poll(() => row().getByTestId('call').textContent()).toContain('Fiche proposée');
    expect(await row().locator('td').nth(2).textContent()).toBe(offer.campaign.name);

    const resolved = await resolveCallToken(server.app, { token: offer.token, agentUserId: fx.users.trainee.id });
    expect(resolved.ok).toBe(true);
    const progress = callProgress(server.app);
    await progress.report({ attemptId: offer.attemptId, event: 'ringing', at: new Date() });
    await expect.poll(stateText).toBe('Sonnerie');
    await expect.poll(() => row().getByTestId('call').textContent()).toContain('Ça sonne chez le client');
    await progress.report({ attemptId: offer.attemptId, event: 'answered', at: new Date() });
    await expect.poll(stateText).toBe('En appel');
    await expect.poll(() => row().getByTestId('call').textContent()).toContain('Client en ligne');
    await expect.poll(async () => seconds(await row().getByTestId('call-timer').textContent()), { timeout: 6000 }).toBeGreaterThanOrEqual(2);
    expect(await row().getByRole('button', { name: /^Raccrocher l’appel de/ }).isVisible()).toBe(true);
    expect(await row().getByRole('button', { name: /^Écouter l’appel de/ }).isVisible()).toBe(true);
    await saveScreenshot(page, 'supervisor-floor-in-call');

    // A forced pause during the call waits for the disposition.
    await row().getByRole('button', { name: 'Mettre en pause' }).click();
    const dialog = page.getByRole('dialog', { name: 'Mettre en pause ?' });
    await dialog.getByLabel('Motif').selectOption('training');
    await dialog.getByRole('button', { name: 'Mettre en pause' }).click();
    await expect.poll(() => row().textContent()).toContain('Pause demandée : Formation');

    await progress.report({ attemptId: offer.attemptId, event: 'ended', at: new Date(), hungUpBy: 'customer' });
    await expect.poll(stateText).toBe('Après-appel');
    await expect.poll(async () => seconds(await row().getByTestId('state-timer').textContent())).toBeLessThan(3);
    await saveScreenshot(page, 'supervisor-floor-wrap-up');

    expect(await ask<AckResult>((ack) => agent.emit('disposition', { attemptId: offer.attemptId, disposition: { code: 'not_interested' } }, ack))).toEqual({ ok: true });
    await expect.poll(stateText).toBe('En pause · Formation');
    await expect.poll(() => row().getByTestId('call').textContent()).toBe('—');
  });

  it('raises a long-pause alert past the threshold set on this screen', async () => {
    await page.getByRole('button', { name: 'Seuils d’alerte' }).click();
    const dialog = page.getByRole('dialog', { name: 'Seuils d’alerte' });
    await dialog.getByLabel('Pause longue au-delà de (minutes)').fill('1');
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    expect(JSON.parse((await page.evaluate("localStorage.getItem('passerelle.floor.thresholds')") as string | null) ?? '{}')).toEqual({ longCallSeconds: 900, longPauseSeconds: 60 });
    // The pause started moments ago: no alert yet (the 60 s boundary is covered by the component test).
    expect(await row().getAttribute('class')).not.toContain('floor-alert-long_pause');
  });

  it('filters by training group beside the campaign, and keeps the filter in the URL', async () => {
    const admin = await login(server.app, fx.users.admin.username, '127.0.0.1');
    const post = (method: 'POST' | 'PUT', url: string, payload: object) => server.app.inject({ method, url, headers: admin.headers, remoteAddress: '127.0.0.1', payload });
    const team = (await post('POST', '/api/admin/teams', { siteId: fx.siteId, name: 'Groupe du matin' })).json() as { id: string };
    expect((await post('PUT', `/api/admin/teams/${team.id}/trainees`, { traineeIds: [fx.users.trainee2.id] })).statusCode).toBe(200);
    // Groups come with the snapshot: a reload brings the new one.
    await page.reload();
    await row().waitFor();
    await page.getByLabel('Groupe').selectOption({ label: 'Groupe du matin' });
    expect(new URL(page.url()).searchParams.get('groupe')).toBe(team.id);
    await expect.poll(() => row().count()).toBe(0);
    await page.reload();
    // The options arrive with the snapshot; the URL's choice then applies.
    await expect.poll(() => page.getByLabel('Groupe').inputValue()).toBe(team.id);
    expect(await page.locator('tr[data-user-id]').count()).toBe(0);
    await page.getByLabel('Groupe').selectOption('');
    await row().waitFor();
    expect(new URL(page.url()).searchParams.has('groupe')).toBe(false);
  });

  it('logs the trainee out from the floor, and the audit trail holds the supervisor actions', async () => {
    await row().getByRole('button', { name: 'Déconnecter' }).click();
    await page.getByRole('dialog', { name: 'Déconnecter le conseiller ?' }).getByRole('button', { name: 'Déconnecter' }).click();
    await expect.poll(stateText).toBe('Hors ligne');
    const audit = await server.app.db.selectFrom('auditLog').select(['action', 'actorUserId', 'targetId']).where('targetId', '=', fx.users.trainee.id).execute();
    const mine = audit.filter((a) => a.actorUserId === fx.users.trainer.id).map((a) => a.action);
    expect(mine).toEqual(expect.arrayContaining(['agent.force_pause', 'agent.force_logout']));
    expectCleanPages(browser.findings);
  });
});

/**
 * Phone health from a real agent console (JsSIP registered on the real Kamailio, fake microphone):
 * the trainer's floor shows it registered, then an alert once the line is lost while Ready.
 */
describe('trainee phone health on the floor', () => {
  let stack: TelephonyTestStack;
  let agentBrowser: LaunchedBrowser;
  let trainerBrowser: LaunchedBrowser;
  let agentPage: Page;
  let floor: Page;
  const traineeRow = () => floor.locator(`tr[data-user-id="${stack.server.fixture!.users.trainee.id}"]`);

  beforeAll(async () => {
    stack = await startTelephonyTestStack();
    const f = stack.server.fixture!;
    trainerBrowser = await launchBrowser();
    floor = await trainerBrowser.context.newPage();
    await signIn(floor, stack.server.url, 'supervisor', f.users.trainer.username);
    await floor.waitForURL('**/supervisor/plateau');
    agentBrowser = await launchBrowser();
    agentPage = await agentBrowser.context.newPage();
  }, 180_000);

  afterAll(async () => {
    await agentBrowser?.close();
    await trainerBrowser?.close();
    await new Promise((r) => setTimeout(r, 2500));
    await stack?.close();
  });

  it('shows the registration of the trainee’s console, and alerts when a Ready trainee loses the line', async () => {
    await signIn(agentPage, stack.server.url, 'agent', stack.server.fixture!.users.trainee.username);
    await agentPage.getByTestId('sip-status').getByText('Téléphone prêt').waitFor({ timeout: 20_000 });
    // The fake microphone plays a beep: the console's meter moves.
    await expect.poll(async () => Number(await agentPage.getByTestId('mic-level').getAttribute('value')), { timeout: 10_000 }).toBeGreaterThan(0.02);

    const sip = traineeRow().getByTestId('health-sip');
    await expect.poll(() => sip.getAttribute('title'), { timeout: 15_000 }).toBe('Téléphone enregistré');
    expect(await traineeRow().getByTestId('health-mic').getAttribute('title')).toBe('Micro présent');

    await agentPage.getByRole('button', { name: 'Jouer le son de test' }).click();
    await agentPage.getByRole('button', { name: 'Oui, je l’ai entendu' }).click();
    await agentPage.getByRole('button', { name: 'Commencer ma journée' }).click();
    await agentPage.getByRole('heading', { name: /^Bonjour/ }).waitFor();
    await agentPage.keyboard.press('Alt+KeyR');
    await expect.poll(() => traineeRow().getByTestId('state').textContent(), { timeout: 10_000 }).toBe('Prêt');
    expect(await traineeRow().getAttribute('class')).not.toContain('floor-alert');
    expect(await traineeRow().getByTestId('health-mic').getAttribute('title')).toBe('Micro présent');
    await saveScreenshot(floor, 'supervisor-floor-phone-registered');

    // The SIP proxy goes away: the console loses its registration and says so at once.
    await stack.telephony.stop();
    await expect.poll(() => sip.getAttribute('data-tone'), { timeout: 20_000 }).not.toBe('ok');
    await expect.poll(() => traineeRow().getAttribute('class')).toContain('floor-alert-phone');
    expect(await traineeRow().getByTestId('phone-alert').textContent()).toBe('Téléphone non enregistré');
    expect(await floor.getByTestId('phone-down').textContent()).toContain('1 prêt(s) sans téléphone enregistré');
    await saveScreenshot(floor, 'supervisor-floor-phone-lost');
    expect(trainerBrowser.findings.cspViolations).toEqual([]);
    expect(trainerBrowser.findings.pageErrors).toEqual([]);
  });
});
