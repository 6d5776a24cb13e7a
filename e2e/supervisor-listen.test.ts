import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, PASSWORD, saveScreenshot, type LaunchedBrowser } from './harness/index.ts';
import { offerCall, startTelephonyTestStack, type OfferedCall, type TelephonyTestStack } from './harness/telephony.ts';
import { openSoftphone } from './harness/telephony-browser.ts';

/**
 * From the floor page, a trainer listens to a trainee's real call (rtpengine subscriptions into
 * WebRTC: audio bytes arrive in the trainer's page), then hangs it up; an admin then finds each
 * action in the audit log viewer.
 */
describe('listening to and hanging up a live call from the floor', () => {
  let stack: TelephonyTestStack;
  let agentBrowser: LaunchedBrowser;
  let trainerBrowser: LaunchedBrowser;
  let agent: Page;
  let trainer: Page;
  let call: OfferedCall;

  const waitFor = async (what: string, fn: () => Promise<boolean>, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await fn())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  };
  const row = () => trainer.locator(`tr[data-user-id="${stack.server.fixture!.users.trainee.id}"]`);
  const agentCall = () => agent.evaluate('window.phone.state.call') as Promise<{ status: string }>;

  async function signIn(page: Page, username: string, landing: string) {
    await page.goto(`${stack.server.url}/supervisor/`);
    await page.getByLabel('Identifiant').fill(username);
    await page.getByLabel('Mot de passe').fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`**/supervisor/${landing}`);
  }

  beforeAll(async () => {
    stack = await startTelephonyTestStack();
    const fx = stack.server.fixture!;
    agentBrowser = await launchBrowser();
    agent = await agentBrowser.context.newPage();
    await openSoftphone(agent, stack.server.url, fx.users.trainee.username, PASSWORD);
    await waitFor('registration', async () => (await agent.evaluate('window.phone.state.health')) === 'ready');

    trainerBrowser = await launchBrowser();
    trainer = await trainerBrowser.context.newPage();
    await signIn(trainer, fx.users.trainer.username, 'plateau');

    call = await offerCall(stack.server.app, { partnerId: fx.partnerA, traineeId: fx.users.trainee.id, phone: '+590690000321' });
    await agent.evaluate(`window.phone.call(${JSON.stringify(call.token)})`);
    await waitFor('answer', async () => (await agentCall()).status === 'in_call');
  }, 180_000);

  afterAll(async () => {
    await agentBrowser?.close();
    await trainerBrowser?.close();
    await new Promise((r) => setTimeout(r, 2500));
    await stack?.close();
  });

  it('shows the call live and lets the trainer hear both legs in the browser', async () => {
    await expect.poll(() => row().getByTestId('state').textContent(), { timeout: 15_000 }).toBe('En appel');
    await row().getByRole('button', { name: /^Écouter l’appel de/ }).click();
    const panel = trainer.getByTestId('listen-panel');
    await panel.waitFor();
    const bytes = (leg: string) => panel.getByTestId(`listen-bytes-${leg}`).getAttribute('data-bytes').then(Number);
    await expect.poll(() => bytes('agent'), { timeout: 15_000 }).toBeGreaterThan(4000);
    await expect.poll(() => bytes('customer'), { timeout: 15_000 }).toBeGreaterThan(4000);
    expect(await row().getByText('Écoute en cours').isVisible()).toBe(true);
    expect(await panel.getByRole('button', { name: 'Chuchoter' }).isDisabled()).toBe(true);
    await saveScreenshot(trainer, 'supervisor-floor-listening');
    // The trainee's call goes on undisturbed.
    expect((await agentCall()).status).toBe('in_call');
  });

  it('hangs the call up after confirmation, for both sides', async () => {
    await row().getByRole('button', { name: /^Raccrocher l’appel de/ }).click();
    await trainer.getByRole('dialog', { name: 'Raccrocher l’appel ?' }).getByRole('button', { name: 'Raccrocher' }).click();
    await expect.poll(async () => (await agentCall()).status, { timeout: 15_000 }).toBe('ended');
    // Server truth first, then the floor: a failure says which of the two paths was late.
    const presence = () => stack.server.app.db.selectFrom('agentPresence').select('status').where('userId', '=', stack.server.fixture!.users.trainee.id).executeTakeFirst();
    await expect.poll(async () => (await presence())?.status, { timeout: 15_000, message: 'call end reached the server (Kamailio → /internal/sip/events)' }).toBe('wrap_up');
    await expect.poll(() => row().getByTestId('state').textContent(), { timeout: 15_000, message: 'wrap-up reached the floor (socket.io)' }).toBe('Après-appel');
    expect(await trainer.getByTestId('listen-panel').count()).toBe(0);
    const attempt = await stack.server.app.db.selectFrom('callAttempts').select('hungUpBy').where('id', '=', call.attemptId).executeTakeFirstOrThrow();
    expect(attempt.hungUpBy).toBe('supervisor');
  });

  it('shows each supervision action in the audit log viewer', async () => {
    const admin = await trainerBrowser.context.browser()?.newContext();
    const page = admin ? await admin.newPage() : await trainerBrowser.context.newPage();
    await trainerBrowser.context.clearCookies();
    await signIn(page, stack.server.fixture!.users.admin.username, 'plateau');
    await page.goto(`${stack.server.url}/supervisor/admin/audit`);
    await page.getByLabel('Action (préfixe)').fill('supervision');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    const table = page.locator('table');
    await expect.poll(() => table.textContent()).toContain('Appel raccroché par l’encadrement');
    const text = await table.textContent();
    expect(text).toContain('Écoute d’un appel');
    expect(text).toContain('Fin d’écoute');
    await saveScreenshot(page, 'supervisor-admin-audit-supervision');
  });
});
