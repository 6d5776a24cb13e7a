import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { AckResult, AgentView, OfferPayload } from '@passerelle/shared/events';
import { callProgress } from '../server/src/modules/calls/progress.ts';
import { resolveCallToken } from '../server/src/modules/dialer/call-tokens.ts';
import { ask, connectAs, Recorder, seedRunningCampaign, wednesdayOffsetMin, type AgentClient, type SeededCampaign } from '../server/test/dialer-fixtures.ts';
import { login, type Fixture } from '../server/test/fixtures.ts';
import { ensureConsolesBuilt, expectCleanPages, launchBrowser, saveScreenshot, signIn, startServer, type LaunchedBrowser, type RunningServer } from './harness/index.ts';

/**
 * Administration screens against the real server: the justice blocklist stops a contact at once
 * (its pending token is refused, it is never offered again), campaign masking with its live
 * preview, retention, the hours report, and the audit trail of it all.
 */
let server: RunningServer;
let fx: Fixture;
let browser: LaunchedBrowser;
let page: Page;
let campaign: SeededCampaign;

const national = (e164: string) => ('0' + e164.slice(4)).replace(/(\d{2})(?=\d)/g, '$1 ');

beforeAll(async () => {
  ensureConsolesBuilt();
  server = await startServer({ env: { DIALER_RULES_CLOCK_OFFSET_MIN: String(wednesdayOffsetMin()), LOGIN_RATE_PER_MIN: '1000' } });
  fx = server.fixture!;
  campaign = await seedRunningCampaign(server.app, fx, { count: 2, trainees: [fx.users.trainee.id, fx.users.trainee2.id], firstNumber: 7100 });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await signIn(page, server.url, 'supervisor', fx.users.admin.username);
  await page.waitForURL('**/supervisor/plateau');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => setTimeout(r, 2500));
  await server?.close();
});

async function agentFor(user: { username: string }) {
  const { cookie } = await login(server.app, user.username, '127.0.0.1');
  const socket = connectAs<AgentClient>(server.url, '/agent', cookie);
  const log = new Recorder().attach(socket);
  await log.next('snapshot');
  return { socket, log };
}

describe('justice blocklist', () => {
  it('refuses the token of a contact blocked after its offer, and never offers it again', async () => {
    const first = await agentFor(fx.users.trainee);
    const second = await agentFor(fx.users.trainee2);
    try {
      expect(await ask<AckResult>((ack) => first.socket.emit('ready', ack))).toEqual({ ok: true });
      const offer = await first.log.next<OfferPayload>('offer');
      const attempt = await server.app.db.selectFrom('callAttempts').select('contactId').where('id', '=', offer.attemptId).executeTakeFirstOrThrow();
      const blocked = campaign.numbers[campaign.contactIds.indexOf(attempt.contactId!)]!;
      const other = campaign.contactIds.find((id) => id !== attempt.contactId)!;

      await page.getByRole('link', { name: 'Blocage justice' }).click();
      await page.getByLabel('Numéro', { exact: true }).fill(national(blocked));
      await page.getByLabel('Motif', { exact: true }).fill('Ordonnance de protection (dossier fictif)');
      await page.getByRole('button', { name: 'Ajouter' }).click();
      await page.getByText('Numéro ajouté à la liste de blocage.').waitFor();
      await page.getByLabel('Numéro', { exact: true }).fill(blocked);
      await page.getByRole('button', { name: 'Rechercher' }).click();
      expect(await page.getByTestId('blocklist-search').textContent()).toBe('1 entrée trouvée pour ce numéro.');
      // The page shows an HMAC prefix, never the number.
      expect(await page.locator('main').textContent()).not.toContain(blocked.slice(4));
      await saveScreenshot(page, 'supervisor-admin-blocklist');

      let mark = first.log.mark;
      expect(await resolveCallToken(server.app, { token: offer.token, agentUserId: fx.users.trainee.id })).toEqual({ ok: false, reason: 'blocked' });

      // The refused dial hands the trainee back at once with the next offer, the other contact;
      // once it is handled nothing is left to offer: the blocked contact never comes back.
      const next = await first.log.next<OfferPayload>('offer', (o) => o.attemptId !== offer.attemptId, mark);
      const nextAttempt = await server.app.db.selectFrom('callAttempts').select('contactId').where('id', '=', next.attemptId).executeTakeFirstOrThrow();
      expect(nextAttempt.contactId).toBe(other);
      expect((await resolveCallToken(server.app, { token: next.token, agentUserId: fx.users.trainee.id })).ok).toBe(true);
      const progress = callProgress(server.app);
      await progress.report({ attemptId: next.attemptId, event: 'answered', at: new Date() });
      await progress.report({ attemptId: next.attemptId, event: 'ended', at: new Date(), hungUpBy: 'customer' });
      mark = first.log.mark;
      expect(await ask<AckResult>((ack) => first.socket.emit('disposition', { attemptId: next.attemptId, disposition: { code: 'not_interested' } }, ack))).toEqual({ ok: true });
      await first.log.next<AgentView>('state', (s) => s.status === 'ready', mark);
      // A second trainee getting ready finds nothing either.
      const secondMark = second.log.mark;
      expect(await ask<AckResult>((ack) => second.socket.emit('ready', ack))).toEqual({ ok: true });
      await new Promise((r) => setTimeout(r, 2000));
      expect(first.log.events.slice(mark).some((e) => e.event === 'offer')).toBe(false);
      expect(second.log.events.slice(secondMark).some((e) => e.event === 'offer')).toBe(false);
      const audit = await server.app.db.selectFrom('auditLog').select(['action', 'details']).where('action', 'in', ['blocklist.add', 'blocklist.search', 'call.dial_refused']).execute();
      expect(audit.map((a) => a.action).sort()).toEqual(['blocklist.add', 'blocklist.search', 'call.dial_refused']);
      expect(JSON.stringify(audit)).not.toContain(blocked.slice(4));
    } finally {
      first.socket.disconnect();
      second.socket.disconnect();
    }
  });
});

describe('campaign management', () => {
  it('edits the masking policy with a live preview of the trainee’s card', async () => {
    await page.getByRole('link', { name: 'Campagnes' }).click();
    await page.locator('table a').first().click();
    await page.getByRole('tab', { name: 'Suivi' }).waitFor();
    // The 14-day chart reads per-day counters: viewing them is not a results export (no audit row).
    await page.getByRole('img', { name: 'Histogramme par jour des contacts appelés et joints' }).waitFor();
    expect(await page.getByText('Tentatives (appels passés)').isVisible()).toBe(true);
    const exports = await server.app.db.selectFrom('auditLog').select('action').where('action', '=', 'campaign.results_export').execute();
    expect(exports).toEqual([]);
    await saveScreenshot(page, 'supervisor-campaign-follow', { fullPage: true });
    await page.getByRole('tab', { name: 'Réglages' }).click();
    expect(await page.getByTestId('law-preview').textContent()).toContain('10:00–13:00');
    await saveScreenshot(page, 'supervisor-campaign-settings', { fullPage: true });
    await page.getByRole('tab', { name: 'Masquage' }).click();
    const card = page.getByTestId('masked-card');
    expect(await card.textContent()).toContain('Marie-Claire E.');
    await page.getByLabel('Nom', { exact: true }).selectOption('initials');
    expect(await card.textContent()).toContain('M.-C. E.');
    await saveScreenshot(page, 'supervisor-campaign-masking');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Modifications enregistrées.').waitFor();
    const row = await server.app.db.selectFrom('campaigns').select('maskingPolicy').where('id', '=', campaign.campaignId).executeTakeFirstOrThrow();
    expect((row.maskingPolicy as { name: string }).name).toBe('initials');
  });
});

describe('reports and retention', () => {
  it('shows the hours report and offers its CSV', async () => {
    await page.getByRole('link', { name: 'Heures des conseillers' }).click();
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.locator('table').waitFor();
    expect(await page.locator('table').textContent()).toContain('Conseiller trainee');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger (CSV)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^heures-day-.*\.csv$/);
    await saveScreenshot(page, 'supervisor-admin-hours');
  });

  it('lists retention per campaign and refuses to purge a running one', async () => {
    await page.getByRole('link', { name: 'Conservation' }).click();
    const purge = page.getByRole('button', { name: 'Purger maintenant' }).first();
    await purge.waitFor();
    expect(await purge.isDisabled()).toBe(true);
    await saveScreenshot(page, 'supervisor-admin-retention');
    expectCleanPages(browser.findings);
  });
});
