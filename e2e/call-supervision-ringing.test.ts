import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, PASSWORD, waitFor, type LaunchedBrowser } from './harness/index.ts';
import { offerCall, startTelephonyTestStack, type OfferedCall, type TelephonyTestStack } from './harness/telephony.ts';
import { lineRegistered, openSoftphone, signInOverApi } from './harness/telephony-browser.ts';

/**
 * A trainer hangs up a call that is still ringing (no-answer range, long proxy ring timeout):
 * the proxy cancels the INVITE towards the customer, the trainee's softphone ends at once, the
 * attempt closes as cancelled by the supervisor, and the customer's phone stops ringing.
 */
describe('supervisor hang-up before the answer', () => {
  let stack: TelephonyTestStack;
  let agentBrowser: LaunchedBrowser;
  let trainerBrowser: LaunchedBrowser;
  let agent: Page;
  let trainer: Page;
  let trainerCsrf: string;
  let call: OfferedCall;

  const agentCall = () => agent.evaluate('window.phone.state.call') as Promise<{ status: string; sipCode: number | null }>;
  const attempt = () => stack.server.app.db.selectFrom('callAttempts').selectAll().where('id', '=', call.attemptId).executeTakeFirstOrThrow();

  beforeAll(async () => {
    // The proxy would give up after 60 s: only the trainer's hang-up can end this call sooner.
    stack = await startTelephonyTestStack({ ringTimeoutMs: 60_000 });
    const fx = stack.server.fixture!;
    agentBrowser = await launchBrowser();
    agent = await agentBrowser.context.newPage();
    await openSoftphone(agent, stack.server.url, fx.users.trainee.username, PASSWORD);
    await lineRegistered(agent);

    trainerBrowser = await launchBrowser();
    trainer = await trainerBrowser.context.newPage();
    trainerCsrf = await signInOverApi(trainer, stack.server.url, fx.users.trainer.username, PASSWORD, '/supervisor/');

    // 4th digit from the end 2: the simulated customer rings and never answers.
    call = await offerCall(stack.server.app, { partnerId: fx.partnerA, traineeId: fx.users.trainee.id, phone: '+590690002311' });
    await agent.evaluate(`window.phone.call(${JSON.stringify(call.token)})`);
    await waitFor('ringing at the trainee', async () => (await agentCall()).status === 'ringing');
    await waitFor('attempt ringing', async () => (await attempt()).status === 'ringing');
  });
  afterAll(async () => {
    await agentBrowser?.close();
    await trainerBrowser?.close();
    await stack?.close();
  });

  it('cancels the ringing call for both sides at once', async () => {
    const hungUpAt = Date.now();
    const status = await trainer.evaluate(
      `fetch('/api/supervision/calls/${call.attemptId}/hangup', { method: 'POST', headers: { 'x-csrf-token': ${JSON.stringify(trainerCsrf)} } }).then((r) => r.status)`,
    );
    expect(status).toBe(204);

    const ended = await waitFor('agent side ended', async () => {
      const c = await agentCall();
      return c.status === 'ended' ? c : null;
    });
    expect(ended.sipCode).toBe(487);
    const row = await waitFor('attempt ended', async () => {
      const a = await attempt();
      return a.endedAt ? a : null;
    });
    // Well before the proxy's ring timeout: the hang-up ended it.
    expect(Date.now() - hungUpAt).toBeLessThan(15_000);
    expect(row).toMatchObject({ hungUpBy: 'supervisor', cause: 'cancelled', sipCode: 487, answeredAt: null });
    const agentState = await stack.server.app.dialer.agents.get(stack.server.fixture!.users.trainee.id);
    expect(agentState?.status).toBe('wrap_up');

    // The customer got a CANCEL for this call and stopped ringing (487), nothing else.
    // The SIP call's record follows the attempt (the dialer applies an event first).
    const sip = await waitFor('SIP call ended', async () => {
      const c = await stack.server.app.db.selectFrom('sipCalls').select(['callId', 'hungUpBy', 'endedAt']).where('attemptId', '=', call.attemptId).executeTakeFirstOrThrow();
      return c.endedAt ? c : null;
    });
    expect(sip.hungUpBy).toBe('supervisor');
    const trunk = await stack.telephony.trunkLog();
    const messages = trunk.split(/^-{20,}.*$/m).filter((m) => m.includes(`Call-ID: ${sip.callId}`));
    expect(messages.some((m) => /^CANCEL /m.test(m))).toBe(true);
    expect(messages.some((m) => /^SIP\/2\.0 487 /m.test(m))).toBe(true);
    expect(messages.some((m) => /^SIP\/2\.0 200 OK[\s\S]*CSeq: \d+ INVITE/m.test(m))).toBe(false);

    const audit = await stack.server.app.db.selectFrom('auditLog').select('action').where('targetId', '=', call.attemptId).execute();
    expect(audit.map((a) => a.action)).toContain('supervision.hangup');
  });
});
