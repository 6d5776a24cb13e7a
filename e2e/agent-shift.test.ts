import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import type { Page } from 'playwright-core';
import { buildApp, type App } from '../server/src/app.ts';
import { login } from '../server/test/fixtures.ts';
import { addContacts, makeCampaign, partnerApiKey } from '../server/test/vault-fixtures.ts';
import { ensureConsolesBuilt, launchBrowser, PASSWORD, saveScreenshot, SEAT_IP, type LaunchedBrowser } from './harness/index.ts';
import { callDiagnosis, startTelephonyTestStack, type TelephonyTestStack } from './harness/telephony.ts';
import { numberForms, recordTraffic } from './harness/telephony-browser.ts';

/**
 * A trainee's whole shift in the real agent console (Chromium, fake headset) against the real
 * server, dialer, Kamailio, rtpengine and SIPp: login, headset check, Ready, an answered call
 * with the script, an appointment booked (seen in the partner's results), a busy call, a network
 * drop during a call, a server restart and a page reload during wrap-up, pause, help, logout —
 * and no personal field of the contacts in the DOM, browser storage or anything received.
 */
describe('a trainee’s working day in the agent console', () => {
  let stack: TelephonyTestStack;
  let app: App;
  let browser: LaunchedBrowser;
  let page: Page;
  let traffic: Awaited<ReturnType<typeof recordTraffic>>;
  let campaignId: string;
  let traineeId: string;
  const doms: string[] = [];
  // Synthetic contacts: the 4th digit from the end tells SIPp what to do (0 answers, 1 busy).
  const contacts = [
    { phones: ['+590690000311'], pii: { firstName: 'Maëlle', lastName: 'Zéphirin', email: 'maelle.zephirin@example.test', city: 'Les Abymes', postalCode: '97139', customerRef: 'CLI-778812' } },
    { phones: ['+590690001312'], pii: { firstName: 'Judicaël', lastName: 'Bellerose', email: 'j.bellerose@example.test', city: 'Le Moule', postalCode: '97160', customerRef: 'CLI-991044' } },
    { phones: ['+590690000313'], pii: { firstName: 'Rosélie', lastName: 'Marlin', email: 'r.marlin@example.test', city: 'Sainte-Rose', postalCode: '97115', customerRef: 'CLI-330217' } },
  ];

  const state = () => page.locator('[data-state]').first().getAttribute('data-state');
  const waitState = async (status: string) => page.locator(`.statusbar [data-state="${status}"]`).waitFor({ timeout: 20_000 });
  const keepDom = async () => doms.push(await page.content());
  const waitFor = async <T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  /** Canvassing needs a legal basis per contact (here: recorded consent). */
  const addContact = async (c: (typeof contacts)[number]) => {
    const ids = await addContacts(app, campaignId, [c]);
    await app.db.updateTable('contacts').set({ legalBasis: 'consent', consentAt: new Date(), consentSource: 'formulaire test' } as never).where('id', 'in', ids).execute();
  };
  const attempts = () => app.db.selectFrom('callAttempts').selectAll().where('campaignId', '=', campaignId).orderBy('offeredAt').execute();

  beforeAll(async () => {
    ensureConsolesBuilt(['agent-console']);
    stack = await startTelephonyTestStack({ ringTimeoutMs: 5000 });
    app = stack.server.app;
    const fx = stack.server.fixture!;
    traineeId = fx.users.trainee.id;
    campaignId = await makeCampaign(app, fx.partnerA, { name: 'Bilan auditif — Audition Caraïbes', type: 'appointment' });
    // Open all week so the test runs any day (the lawful windows are the dialer's own tests).
    await app.db
      .updateTable('campaigns')
      .set({ status: 'running', windows: JSON.stringify([{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59' }]), callerId: '+590590990000' } as never)
      .where('id', '=', campaignId)
      .execute();
    await app.db.insertInto('campaignAgents').values({ campaignId, userId: traineeId }).execute();
    const admin = await login(app, fx.users.admin.username, SEAT_IP);
    const day = (d: number, h: number) => new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + d, h)).toISOString();
    const slots = await app.inject({
      method: 'POST',
      url: `/api/campaigns/${campaignId}/slots`,
      headers: admin.headers,
      remoteAddress: SEAT_IP,
      payload: {
        slots: [
          { startsAt: day(2, 13), endsAt: day(2, 14), channel: 'onsite', place: 'Agence de Pointe-à-Pitre' },
          { startsAt: day(3, 18), endsAt: day(3, 19), channel: 'phone', place: null },
        ],
      },
    });
    expect(slots.statusCode, slots.body).toBe(201);
    await addContact(contacts[0]!);

    browser = await launchBrowser();
    traffic = await recordTraffic(browser.context);
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    if (app && app !== stack?.server.app) {
      await app.close();
      // The first instance is already closed: only the telephony and the database remain.
      await stack.telephony.stop();
      await stack.server.close().catch(() => undefined);
    } else await stack?.close();
  });

  beforeEach(({ task }) => {
    // For diagnosis: what the trainee saw when a step failed.
    onTestFailed(async () => {
      await saveScreenshot(page, `agent-failed-${task.name.slice(0, 24).replace(/\W+/g, '-')}`).catch(() => undefined);
      console.error('browser findings', JSON.stringify(browser.findings));
      console.error('agent states', await app.db.selectFrom('agentPresence' as never).selectAll().execute().catch((e: Error) => e.message));
      // How each call ended (SIP code, cause, who hung up) and what the proxy complained about.
      for (const a of await attempts().catch(() => [])) console.error('attempt', a.status, a.outcome, await callDiagnosis(stack, a.id).catch((e: Error) => e.message));
    });
  });

  it('signs in, checks the headset and sees the line register', async () => {
    await page.goto(`${stack.server.url}/agent/`);
    await page.getByLabel('Identifiant').fill(stack.server.fixture!.users.trainee.username);
    await page.getByLabel('Mot de passe').fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL('**/agent/verification');
    await page.getByRole('heading', { name: 'Vérification du casque et du micro' }).waitFor();
    await page.getByTestId('sip-status').getByText('Téléphone prêt').waitFor({ timeout: 20_000 });
    // The fake microphone plays a beep: the meter moves.
    await waitFor('microphone level', async () => Number(await page.getByTestId('mic-level').getAttribute('value')) > 0.02);
    await page.getByRole('button', { name: 'Jouer le son de test' }).click();
    await page.getByRole('button', { name: 'Oui, je l’ai entendu' }).click();
    await saveScreenshot(page, 'agent-device-check');
    await keepDom();
    await page.getByRole('button', { name: 'Commencer ma journée' }).click();
    await page.getByRole('heading', { name: 'Bonjour, Conseiller trainee' }).waitFor();
    await waitState('paused');
    const health = page.getByRole('list', { name: 'Santé de la connexion' });
    for (const id of ['server', 'sip', 'audio']) await health.locator(`[data-health="${id}"][data-level="ok"]`).waitFor();
    expect(await page.getByRole('heading', { name: 'Raccourcis clavier' }).isVisible()).toBe(true);
    await saveScreenshot(page, 'agent-home');
  });

  it('goes Ready by keyboard and gets a masked offer it cannot copy', async () => {
    await page.keyboard.press('Alt+KeyR');
    await waitState('offered');
    const card = page.getByTestId('contact-card');
    await card.waitFor();
    expect(await card.textContent()).toContain('06 90 •• •• 11');
    expect(await card.textContent()).toContain('Maëlle Z.');
    expect(await page.getByText('Bilan auditif — Audition Caraïbes').isVisible()).toBe(true);
    // Source as text: this package is compiled without the DOM types.
    const blocked = await page.evaluate(`(() => {
      const el = document.querySelector('[data-testid="contact-card"]');
      const e = new Event('copy', { bubbles: true, cancelable: true });
      el.querySelector('dd').dispatchEvent(e);
      return { prevented: e.defaultPrevented, select: getComputedStyle(el).userSelect };
    })()`);
    expect(blocked).toEqual({ prevented: true, select: 'none' });
    const steps = page.locator('.script-steps .script-step-title');
    expect((await steps.allTextContents()).slice(0, 2).map((s) => s.replace(/obligatoire.*/, ''))).toEqual(['Présentation', 'Enregistrement']);
    await saveScreenshot(page, 'agent-offer');
    await keepDom();
  });

  it('calls, follows the script, survives a network drop and books an appointment', async () => {
    await page.keyboard.press('Alt+KeyA');
    await page.getByTestId('far-end').getByText('Décroché').waitFor({ timeout: 20_000 });
    await waitState('in_call');
    await page.getByLabel(/Présentation/).check();
    await page.getByLabel(/Enregistrement/).check();
    await page.getByText('2 / 4 étapes').waitFor();
    await saveScreenshot(page, 'agent-in-call');
    await keepDom();

    // Network drop: the server link is cut and cannot come back for a moment.
    await browser.context.setOffline(true);
    for (const socket of app.realtime.agents.sockets.values()) socket.conn.close();
    await page.getByText('Liaison perdue : reconnexion automatique en cours.', { exact: false }).first().waitFor();
    await page.locator('[data-health="server"][data-level="down"]').waitFor();
    await saveScreenshot(page, 'agent-reconnecting');
    await browser.context.setOffline(false);
    await page.locator('[data-health="server"][data-level="ok"]').waitFor({ timeout: 20_000 });
    await waitState('in_call');
    expect(await page.getByTestId('far-end').textContent()).toContain('Décroché');
    const timer = await page.getByTestId('call-timer').textContent();
    await page.waitForTimeout(1200);
    expect(await page.getByTestId('call-timer').textContent()).not.toBe(timer);

    await page.keyboard.press('Alt+KeyM');
    await page.getByRole('button', { name: /Rétablir le micro/ }).waitFor();
    await page.keyboard.press('Alt+KeyM');
    await page.getByRole('button', { name: /Couper le micro/ }).waitFor();
    await page.keyboard.press('Alt+KeyH');
    await waitState('wrap_up');
    await page.getByRole('heading', { name: 'Qualification de l’appel' }).waitFor();
    await page.getByTestId('wrapup-timer').waitFor();

    await page.getByLabel('Rendez-vous pris').check();
    await page.getByLabel(/Agence de Pointe-à-Pitre/).check();
    const note = page.getByLabel('Note (facultatif)');
    await note.fill('joignable au 06 90 00 99 99');
    await page.getByTestId('note-warning').waitFor();
    await saveScreenshot(page, 'agent-wrapup-note-warning');
    await note.fill('Préfère le matin, viendra accompagnée');
    expect(await page.getByTestId('note-warning').count()).toBe(0);
    await saveScreenshot(page, 'agent-wrapup-appointment');
    await page.getByRole('button', { name: 'Enregistrer la qualification' }).click();
    await page.getByText('Appel qualifié : Rendez-vous pris.').waitFor();
    await waitState('ready');
    await keepDom();

    const [first] = await attempts();
    expect(first).toMatchObject({ outcome: 'appointment', status: 'closed' });
    const results = await app.inject({ method: 'GET', url: `/api/campaigns/${campaignId}/results`, headers: await partnerApiKey(app, stack.server.fixture!.partnerA) });
    expect(results.statusCode, results.body).toBe(200);
    const booked = (results.json() as { items: { lastOutcome: string | null; appointmentAt: string | null; appointmentPlace: string | null }[] }).items;
    expect(booked).toEqual([expect.objectContaining({ lastOutcome: 'appointment', appointmentPlace: 'Agence de Pointe-à-Pitre', appointmentAt: expect.any(String) })]);
  });

  it('meets a busy line, recovers from a server restart and a reload during wrap-up', async () => {
    await addContact(contacts[1]!);
    await app.dialer.dispatch();
    await waitState('offered');
    await page.getByTestId('contact-card').getByText('06 90 •• •• 12').waitFor();
    await page.getByRole('button', { name: /Appeler/ }).click();
    await waitState('wrap_up');
    await page.getByTestId('far-end').getByText('Occupé').waitFor();
    expect(await page.getByLabel('Occupé').isChecked()).toBe(true);
    await saveScreenshot(page, 'agent-wrapup-busy');

    // Server restart during wrap-up: same database, same port.
    const { config } = stack.server;
    await app.close();
    await page.locator('[data-health="server"][data-level="down"]').waitFor();
    app = await buildApp(config);
    await app.listen({ host: config.HOST, port: config.PORT });
    await page.locator('[data-health="server"][data-level="ok"]').waitFor({ timeout: 30_000 });
    await waitState('wrap_up');
    expect(await page.getByLabel('Occupé').isChecked()).toBe(true);

    // A reload during wrap-up comes straight back to the form (no headset check in between).
    await page.reload();
    await page.getByRole('heading', { name: 'Qualification de l’appel' }).waitFor({ timeout: 20_000 });
    expect(page.url()).not.toContain('verification');
    await page.getByLabel('Occupé').check();
    await page.getByRole('button', { name: 'Enregistrer la qualification' }).click();
    await page.getByText('Appel qualifié : Occupé.').waitFor();
    await keepDom();
    const [, second] = await attempts();
    expect(second).toMatchObject({ outcome: 'busy', status: 'closed' });
    expect((await attempts()).filter((a) => a.status !== 'closed')).toEqual([]);
  });

  it('loses its line to a reload mid-call and still hangs up, through the server', async () => {
    await addContact(contacts[2]!);
    await app.dialer.dispatch();
    await waitState('offered');
    await page.getByRole('button', { name: /Appeler/ }).click();
    await page.getByTestId('far-end').getByText('Décroché').waitFor({ timeout: 20_000 });
    await waitState('in_call');
    // The page has no SIP session any more; the call is still up between the proxy and the customer.
    await page.reload();
    await page.getByTestId('line-lost').waitFor({ timeout: 20_000 });
    await saveScreenshot(page, 'agent-line-lost');
    await page.getByRole('button', { name: /Raccrocher/ }).click();
    await waitState('wrap_up');
    await page.getByRole('heading', { name: 'Qualification de l’appel' }).waitFor();
    await page.getByLabel('Pas intéressé').check();
    await page.getByRole('button', { name: 'Enregistrer la qualification' }).click();
    await page.getByText('Appel qualifié : Pas intéressé.').waitFor();
    await keepDom();
    const third = (await attempts())[2];
    expect(third).toMatchObject({ outcome: 'not_interested', status: 'closed' });
  });

  it('asks for help, is told a trainer comes, pauses and signs out', async () => {
    await page.getByRole('button', { name: /Demander de l’aide/ }).click();
    await page.getByTestId('help-status').getByText(/un formateur va venir/).waitFor();
    const trainer = await login(app, stack.server.fixture!.users.trainer.username, SEAT_IP);
    const ack = await app.inject({ method: 'POST', url: `/api/help-requests/${traineeId}/acknowledge`, headers: trainer.headers, remoteAddress: SEAT_IP });
    expect(ack.statusCode).toBe(200);
    await page.getByTestId('help-status').getByText(/arrive/).waitFor();

    await page.getByRole('button', { name: /Pause/ }).click();
    await page.getByRole('button', { name: 'Pause repas' }).click();
    await waitState('paused');
    await page.getByText('En pause — Pause repas').waitFor();
    await saveScreenshot(page, 'agent-paused');
    await keepDom();
    expect(await state()).toBe('paused');

    // Nothing about the contacts anywhere the browser keeps or received.
    const storage = (await page.evaluate(
      '(async () => [JSON.stringify(Object.entries(localStorage)), JSON.stringify(Object.entries(sessionStorage)), JSON.stringify((await indexedDB.databases()).map((d) => d.name)), document.cookie])()',
    )) as string[];
    const frames = await traffic.frames(page);
    const haystacks = { dom: doms.join('\n'), storage: storage.join('\n'), frames: frames.join('\n'), http: traffic.http.join('\n') };
    for (const c of contacts) {
      const forms = [...c.phones.flatMap(numberForms), c.pii.lastName, c.pii.email, c.pii.postalCode, c.pii.customerRef];
      for (const [where, text] of Object.entries(haystacks)) {
        for (const form of forms) expect(text.includes(form), `${form} in ${where}`).toBe(false);
      }
    }
    expect(JSON.parse(storage[0]!).map(([k]: [string]) => k).filter((k: string) => k !== 'passerelle.lang')).toEqual([]);
    expect(JSON.parse(storage[1]!)).toEqual([]);

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForURL('**/agent/login');
    expect(browser.findings.cspViolations).toEqual([]);
    expect(browser.findings.externalRequests).toEqual([]);
    expect(browser.findings.pageErrors).toEqual([]);
  });
});
