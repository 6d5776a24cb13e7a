import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { AckResult, OfferPayload } from '@passerelle/shared/events';
import { callProgress } from '../server/src/modules/calls/progress.ts';
import { resolveCallToken } from '../server/src/modules/dialer/call-tokens.ts';
import { ask, connectAs, Recorder, wednesdayOffsetMin, type AgentClient } from '../server/test/dialer-fixtures.ts';
import { login, type Fixture } from '../server/test/fixtures.ts';
import { ensureConsolesBuilt, expectCleanPages, launchBrowser, saveScreenshot, signIn, startServer, type LaunchedBrowser, type RunningServer } from './harness/index.ts';

/**
 * The partner area against the real stack: a messy file uploaded, mapped, imported with live
 * progress and an error report; results after a real (simulated-line) call; no staff page or API,
 * and no trainee name anywhere in what the partner's browser receives.
 */
let server: RunningServer;
let fx: Fixture;
let browser: LaunchedBrowser;
let page: Page;
let campaignId: string;
const apiBodies: { url: string; body: string }[] = [];

// Semicolons, a BOM, Windows line ends, spaced and dotted numbers, a duplicate, a premium-rate
// number, an empty phone, a stray quote: what partners really send. Numbers are fictitious.
const MESSY = [
  '\ufeffNom;Prénom;Tél. portable;Tél fixe;Code postal;Ville;Réf client',
  'Martin;Léa;0690 00 41 01;0590 00 41 01;97122;Baie-Mahault;CLI-000101',
  'Durand;Paul;06.90.00.41.02;;97110;Pointe-à-Pitre;CLI-000102',
  'Petit;Zoé;+590 690 00 41 03;;97100;Basse-Terre;CLI-000103',
  'Doublon;Léa;0690004101;;97122;Baie-Mahault;CLI-000104',
  'Surtaxe;Max;0899 00 00 00;;97122;Baie-Mahault;CLI-000105',
  'Vide;Sans;;;97122;Baie-Mahault;CLI-000106',
  'Bizarre;Gu"ill;0690004107;;97122;Baie-Mahault;CLI-000107;colonne en trop',
  'Bernard;Inès;0690 00 41 08;;97139;Les Abymes;CLI-000108',
].join('\r\n');

const TRAINEE_NAME = 'Conseiller trainee';
const nav = (name: string) => page.getByRole('navigation').getByRole('link', { name, exact: true });

beforeAll(async () => {
  ensureConsolesBuilt();
  server = await startServer({ env: { DIALER_RULES_CLOCK_OFFSET_MIN: String(wednesdayOffsetMin()), LOGIN_RATE_PER_MIN: '1000' } });
  fx = server.fixture!;
  await server.app.workers.start('imports');
  const admin = await login(server.app, fx.users.admin.username, '127.0.0.1');
  const created = await server.app.inject({
    method: 'POST',
    url: '/api/campaigns',
    headers: admin.headers,
    remoteAddress: '127.0.0.1',
    payload: { name: 'SAV box fibre', partnerId: fx.partnerA, type: 'after_sales', defaultRegion: 'GP' },
  });
  expect(created.statusCode).toBe(201);
  campaignId = created.json().id;
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on('response', async (res) => {
    if (!res.url().includes('/api/')) return;
    apiBodies.push({ url: res.url(), body: await res.text().catch(() => '') });
  });
  await signIn(page, server.url, 'supervisor', fx.users.partnerA.username);
  await page.waitForURL('**/supervisor/partenaire');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => setTimeout(r, 2500));
  await server?.close();
});

describe('partner area', () => {
  it('uploads a messy file, maps its columns, follows the import and downloads the error report', async () => {
    await nav('Imports').click();
    await page.getByLabel('Campagne').selectOption({ label: 'SAV box fibre' });
    await page.getByLabel('Fichier (CSV, TXT ou XLSX)').setInputFiles({ name: 'contacts export.csv', mimeType: 'text/csv', buffer: Buffer.from(MESSY, 'utf8') });
    await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
    const panel = page.getByTestId('import-panel');
    await panel.getByRole('heading', { name: 'Correspondance des colonnes' }).waitFor();
    // The server's suggestion is shown; the partner completes it.
    expect(await panel.getByLabel('Contenu : Tél. portable').inputValue()).toBe('phone');
    await panel.getByLabel('Contenu : Réf client').selectOption('field:customerRef');
    // Preview values are masked: no full number reaches the page.
    expect(await panel.textContent()).not.toContain('0690 00 41 01');
    await saveScreenshot(page, 'supervisor-partner-mapping');
    await panel.getByRole('button', { name: 'Lancer l’import' }).click();
    await expect.poll(() => panel.getAttribute('data-status'), { timeout: 60_000 }).toBe('completed');
    const summary = (await panel.getByTestId('import-summary').textContent()) ?? '';
    const [read, imported, rejected] = [...summary.matchAll(/(\d+) (?:lignes lues|importées|refusées)/g)].map((m) => Number(m[1]));
    expect(read).toBe(8);
    // Four clean rows (one of them the duplicate's first occurrence); duplicate, premium rate and empty phone refused.
    expect(imported).toBeGreaterThanOrEqual(4);
    expect(rejected).toBeGreaterThanOrEqual(3);
    expect(imported! + rejected!).toBe(read);
    await saveScreenshot(page, 'supervisor-partner-import-report');

    const [download] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('errors-csv').click()]);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.split(/\r?\n/).filter(Boolean).length).toBeGreaterThanOrEqual(4);
    expect(csv).toMatch(/double|surtax|invalide|manquant/i);
    expect(csv).not.toContain('0899 00 00 00');
    // The file list keeps the import with its state.
    await expect.poll(() => page.locator('tr[data-import-id]').first().textContent()).toContain('Terminé');
  });

  it('sees the results of a call made on its campaign, and exports them', async () => {
    // A trainee calls one of the imported contacts through the real dialer and call progress.
    const admin = await login(server.app, fx.users.admin.username, '127.0.0.1');
    const call = async (method: 'PATCH' | 'POST' | 'PUT', url: string, payload: object) => {
      const r = await server.app.inject({ method, url, headers: admin.headers, remoteAddress: '127.0.0.1', payload });
      expect(r.statusCode, r.body).toBe(200);
    };
    await call('PATCH', `/api/campaigns/${campaignId}/dialing`, { callerId: '+590947500000' });
    await call('PUT', `/api/campaigns/${campaignId}/trainees`, { traineeIds: [fx.users.trainee.id] });
    await call('POST', `/api/campaigns/${campaignId}/transition`, { to: 'ready' });
    await call('POST', `/api/campaigns/${campaignId}/transition`, { to: 'running' });
    const trainee = await login(server.app, fx.users.trainee.username, '127.0.0.1');
    const agent = connectAs<AgentClient>(server.url, '/agent', trainee.cookie);
    const log = new Recorder().attach(agent);
    try {
      await log.next('snapshot');
      expect(await ask<AckResult>((ack) => agent.emit('ready', ack))).toEqual({ ok: true });
      const offer = await log.next<OfferPayload>('offer');
      expect((await resolveCallToken(server.app, { token: offer.token, agentUserId: fx.users.trainee.id })).ok).toBe(true);
      const progress = callProgress(server.app);
      await progress.report({ attemptId: offer.attemptId, event: 'answered', at: new Date() });
      await progress.report({ attemptId: offer.attemptId, event: 'ended', at: new Date(), hungUpBy: 'customer' });
      expect(await ask<AckResult>((ack) => agent.emit('disposition', { attemptId: offer.attemptId, disposition: { code: 'ticket_solved', ticketRef: 'T-1' } }, ack))).toEqual({ ok: true });
      expect(await ask<AckResult>((ack) => agent.emit('pause', { reason: 'pause' }, ack))).toEqual({ ok: true });
    } finally {
      agent.disconnect();
    }

    await nav('Résultats').click();
    await page.getByLabel('Campagne').selectOption({ label: 'SAV box fibre' });
    await expect.poll(() => page.locator('[aria-label="Derniers résultats"]').textContent().catch(() => '')).toContain('Problème résolu : 1');
    expect(await page.getByTestId('results-counts').textContent()).toContain('Traité');
    await saveScreenshot(page, 'supervisor-partner-results', { fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('results-csv').click()]);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv).toContain('Problème résolu');
  });

  it('opens no staff page and gets 403 from staff and admin API routes', async () => {
    await page.goto(`${server.url}/supervisor/plateau`);
    await page.waitForURL('**/supervisor/partenaire');
    await page.goto(`${server.url}/supervisor/admin/utilisateurs`);
    await page.waitForURL('**/supervisor/partenaire');
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date().toISOString();
    for (const url of [
      '/api/admin/users',
      '/api/admin/audit',
      '/api/admin/blocklist',
      '/api/trainees',
      `/api/reports/hours?from=${from}&to=${to}`,
      `/api/campaigns/${campaignId}/dialing`,
      '/admin/queues',
    ]) {
      const res = await page.request.get(`${server.url}${url}`);
      expect(res.status(), url).toBe(403);
    }
    const hangup = await page.request.post(`${server.url}/api/supervision/calls/${campaignId}/hangup`);
    expect(hangup.status()).toBe(403);
  });

  it('never receives a trainee’s name, in the pages or in the API answers', async () => {
    for (const link of ['Accueil', 'Campagnes', 'Imports', 'Résultats', 'Clés d’API']) {
      await nav(link).click();
      await page.waitForLoadState('networkidle');
      expect(await page.locator('body').textContent(), link).not.toContain(TRAINEE_NAME);
    }
    await saveScreenshot(page, 'supervisor-partner-api-keys');
    expect(apiBodies.length).toBeGreaterThan(5);
    for (const { url, body } of apiBodies) {
      expect(body, url).not.toContain(TRAINEE_NAME);
      expect(body, url).not.toContain(fx.users.trainee.id);
    }
    expectCleanPages(browser.findings);
  });
});
