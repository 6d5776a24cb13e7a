import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, PASSWORD, saveScreenshot, type LaunchedBrowser } from './harness/index.ts';
import { explained, offerCall, startTelephonyTestStack, type OfferedCall, type TelephonyTestStack } from './harness/telephony.ts';
import { openSoftphone } from './harness/telephony-browser.ts';
import { realtimeAs } from './harness/realtime.ts';

/**
 * From the floor page, two staff members listen to a trainee's real call (rtpengine subscriptions
 * into WebRTC: audio bytes arrive in each page) and each sees the other listed; one stops and the
 * list follows; the trainer whispers (the trainee's console is told and hears the trainer), then
 * hangs the call up — nobody is left listening; an admin finds each action, with the durations,
 * in the audit log viewer.
 */
describe('listening to and hanging up a live call from the floor', () => {
  let stack: TelephonyTestStack;
  let agentBrowser: LaunchedBrowser;
  let trainerBrowser: LaunchedBrowser;
  let secondBrowser: LaunchedBrowser;
  let agent: Page;
  let trainer: Page;
  let second: Page;
  let traineeSocket: Awaited<ReturnType<typeof realtimeAs>>;
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
    const agentCsrf = await openSoftphone(agent, stack.server.url, fx.users.trainee.username, PASSWORD);
    await agent.evaluate(`window.agentCsrf = ${JSON.stringify(agentCsrf)}`);
    traineeSocket = await realtimeAs(agentBrowser.context, stack.server.url, '/agent');
    await waitFor('registration', async () => (await agent.evaluate('window.phone.state.health')) === 'ready');

    trainerBrowser = await launchBrowser();
    trainer = await trainerBrowser.context.newPage();
    await signIn(trainer, fx.users.trainer.username, 'plateau');
    secondBrowser = await launchBrowser();
    second = await secondBrowser.context.newPage();
    await signIn(second, fx.users.admin.username, 'plateau');

    call = await offerCall(stack.server.app, { partnerId: fx.partnerA, traineeId: fx.users.trainee.id, phone: '+590690000321' });
    await agent.evaluate(`window.phone.call(${JSON.stringify(call.token)})`);
    await waitFor('answer', async () => (await agentCall()).status === 'in_call');
  }, 180_000);

  afterAll(async () => {
    traineeSocket?.socket.disconnect();
    await agentBrowser?.close();
    await trainerBrowser?.close();
    await secondBrowser?.close();
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
    expect(await panel.getByRole('button', { name: 'Intervenir' }).isDisabled()).toBe(true);
    expect(await panel.getByTestId('listen-others').textContent()).toBe('Personne d’autre n’écoute cet appel.');
    // The trainee's call goes on undisturbed.
    expect((await agentCall()).status).toBe('in_call');
  });

  it('shows each listener who else is listening, and follows when one stops', async () => {
    const otherRow = () => second.locator(`tr[data-user-id="${stack.server.fixture!.users.trainee.id}"]`);
    await expect.poll(() => otherRow().getByTestId('state').textContent(), { timeout: 15_000 }).toBe('En appel');
    await otherRow().getByRole('button', { name: /^Écouter l’appel de/ }).click();
    const secondPanel = second.getByTestId('listen-panel');
    await secondPanel.waitFor();
    await expect.poll(() => secondPanel.getByTestId('listen-bytes-customer').getAttribute('data-bytes').then(Number), { timeout: 15_000 }).toBeGreaterThan(4000);
    const others = (page: Page) => page.getByTestId('listen-panel').getByTestId('listen-others').textContent();
    await expect.poll(() => others(trainer), { timeout: 10_000 }).toMatch(/^Écoute aussi : admin \(depuis \d\d:\d\d\)$/);
    await expect.poll(() => others(second), { timeout: 10_000 }).toMatch(/^Écoute aussi : trainer \(depuis \d\d:\d\d\)$/);
    await expect.poll(() => row().getByTestId('row-listeners').textContent()).toBe('À l’écoute : trainer, admin');
    await saveScreenshot(trainer, 'supervisor-floor-listening');

    await secondPanel.getByRole('button', { name: 'Arrêter l’écoute' }).click();
    await expect.poll(() => others(trainer), { timeout: 10_000 }).toBe('Personne d’autre n’écoute cet appel.');
    await expect.poll(() => row().getByTestId('row-listeners').textContent()).toBe('À l’écoute : trainer');
    expect(await second.getByTestId('listen-panel').count()).toBe(0);
  });

  it('whispers to the trainee: the console is told at once and hears the trainer, the customer does not', async () => {
    const panel = trainer.getByTestId('listen-panel');
    await panel.getByRole('button', { name: 'Chuchoter' }).click();
    await panel.getByTestId('whispering').waitFor();
    expect(await traineeSocket.log.next('supervision:whisper')).toEqual({ attemptId: call.attemptId, active: true, by: 'trainer' });
    await expect.poll(() => second.locator(`tr[data-user-id="${stack.server.fixture!.users.trainee.id}"]`).getByTestId('row-listeners').textContent(), { timeout: 10_000 }).toBe(
      'À l’écoute : trainer, trainer (chuchote)',
    );
    // What the console does on that notice: subscribe to the trainer's voice beside the call.
    const joined = (await agent.evaluate(`(async () => {
      const headers = { 'content-type': 'application/json', 'x-csrf-token': window.agentCsrf };
      const res = await fetch('/api/telephony/whisper', { method: 'POST', headers: { 'x-csrf-token': window.agentCsrf } });
      if (res.status !== 200) return { error: res.status + ' ' + await res.text() };
      const feed = await res.json();
      await window.phone.joinWhisper(feed.sdp, (sdp) => fetch('/api/telephony/whisper/answer', { method: 'POST', headers, body: JSON.stringify({ subscriptionTag: feed.subscriptionTag, sdp }) }).then(() => undefined));
      return { ok: true };
    })()`)) as { ok?: true; error?: string };
    expect(joined.error, joined.error).toBeUndefined();
    await expect.poll(() => agent.evaluate('window.phone.whisperBytes()') as Promise<number>, { timeout: 15_000 }).toBeGreaterThan(4000);
    await saveScreenshot(trainer, 'supervisor-floor-whispering');
    await panel.getByRole('button', { name: 'Arrêter de chuchoter' }).click();
    expect(await traineeSocket.log.next('supervision:whisper', (n: { active: boolean }) => !n.active)).toEqual({ attemptId: call.attemptId, active: false, by: null });
    expect((await agentCall()).status).toBe('in_call');
  });

  it('hangs the call up after confirmation, for both sides (a line that does not obey: the proxy ends it)', async () => {
    // This page's line ignores `supervision:hangup` (unlike the agent console): after the grace,
    // the proxy sends the BYEs, or, when Kamailio drops the second, the server ends the call.
    await row().getByRole('button', { name: /^Raccrocher l’appel de/ }).click();
    await trainer.getByRole('dialog', { name: 'Raccrocher l’appel ?' }).getByRole('button', { name: 'Raccrocher' }).click();
    await expect.poll(async () => (await agentCall()).status, { timeout: 15_000 }).toBe('ended');
    // Server truth first, then the floor: a failure says which of the two paths was late.
    const presence = () => stack.server.app.db.selectFrom('agentPresence').select('status').where('userId', '=', stack.server.fixture!.users.trainee.id).executeTakeFirst();
    await explained(
      stack,
      call.attemptId,
      expect.poll(async () => (await presence())?.status, { timeout: 15_000, message: 'call end reached the server (Kamailio → /internal/sip/events)' }).toBe('wrap_up'),
    );
    await expect.poll(() => row().getByTestId('state').textContent(), { timeout: 15_000, message: 'wrap-up reached the floor (socket.io)' }).toBe('Après-appel');
    expect(await trainer.getByTestId('listen-panel').count()).toBe(0);
    // The call's end ended the listen: nobody is left on it, on any floor.
    await expect.poll(() => row().getByTestId('row-listeners').count()).toBe(0);
    const open = await stack.server.app.db.selectFrom('supervisionSessions').select('id').where('attemptId', '=', call.attemptId).where('endedAt', 'is', null).execute();
    expect(open).toEqual([]);
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
    expect(text).toContain('Chuchotement au conseiller');
    expect(text).toContain('Fin de chuchotement');
    expect(text).toMatch(/"durationSeconds":\d+/);
    await saveScreenshot(page, 'supervisor-admin-audit-supervision');
  });
});
