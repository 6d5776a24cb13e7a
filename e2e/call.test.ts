import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, PASSWORD, waitFor, type LaunchedBrowser } from './harness/index.ts';
import { decryptedRecording, explained, offerCall, startTelephonyTestStack, type OfferedCall, type TelephonyTestStack } from './harness/telephony.ts';
import { numberForms, openSoftphone, recordTraffic } from './harness/telephony-browser.ts';
import { rms } from '../server/src/modules/recordings/audio.ts';

/**
 * Full calls from Chromium (fake microphone) through the real softphone module, Kamailio,
 * rtpengine and the simulated trunk (SIPp), with the real server and dialer: outcomes, audio
 * both ways, attempt records, encrypted recordings, and no trace of the dialled number in
 * anything the trainee's browser receives.
 */
describe('calls from the agent browser', () => {
  let stack: TelephonyTestStack;
  let browser: LaunchedBrowser;
  let page: Page;
  let traffic: Awaited<ReturnType<typeof recordTraffic>>;
  let trainee: string;
  let partnerId: string;
  const dialled: string[] = [];

  const db = () => stack.server.app.db;
  const phoneState = () => page.evaluate('window.phone.state') as Promise<{ health: string; error: string | null; call: { status: string; sipCode: number | null } }>;
  const attempt = (id: string) => db().selectFrom('callAttempts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  async function offer(phone: string): Promise<OfferedCall> {
    dialled.push(phone);
    return offerCall(stack.server.app, { partnerId, traineeId: trainee, phone });
  }
  async function dial(o: OfferedCall): Promise<void> {
    await page.evaluate(`window.phone.call(${JSON.stringify(o.token)})`);
  }
  /** Waits for the customer to answer; a failure says what the browser, the server and the proxy saw. */
  async function answered(o: OfferedCall): Promise<void> {
    await explained(stack, o.attemptId, waitFor('answer', async () => (await phoneState()).call.status === 'in_call'), async () => `phone: ${JSON.stringify(await phoneState())}`);
  }
  /** Qualifies the finished call so the trainee can take the next one. */
  async function close(o: OfferedCall, code: 'busy' | 'no_answer' | 'ticket_solved' | 'not_interested' = 'ticket_solved'): Promise<void> {
    await waitFor('wrap-up', async () => (await attempt(o.attemptId)).status === 'wrap_up');
    await stack.server.app.dialer.dispose(trainee, o.attemptId, { code });
  }

  beforeAll(async () => {
    stack = await startTelephonyTestStack({ ringTimeoutMs: 5000 });
    const fx = stack.server.fixture!;
    trainee = fx.users.trainee.id;
    partnerId = fx.partnerA;
    browser = await launchBrowser();
    traffic = await recordTraffic(browser.context);
    page = await browser.context.newPage();
    await openSoftphone(page, stack.server.url, fx.users.trainee.username, PASSWORD);
    await waitFor('registration', async () => (await phoneState()).health === 'ready').catch(async (err) => {
      throw new Error(`${(err as Error).message}: ${JSON.stringify(await phoneState())}`);
    });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('answers, carries audio both ways, ends on the agent’s hang-up and stores an encrypted recording', async () => {
    const o = await offer('+590690000211');
    await dial(o);
    await answered(o);
    // Let the customer talk and the fake microphone send for a few seconds.
    const stats = await waitFor(
      'audio both ways',
      async () => {
        const s = (await page.evaluate('window.phone.stats()')) as { bytesSent: number; bytesReceived: number } | null;
        return s && s.bytesSent > 8000 && s.bytesReceived > 8000 ? s : null;
      },
      10_000,
    );
    expect(stats.bytesSent).toBeGreaterThan(8000);
    await new Promise((r) => setTimeout(r, 1500));
    await page.evaluate('window.phone.hangup()');
    const a = await waitFor('attempt ended', async () => {
      const row = await attempt(o.attemptId);
      return row.endedAt ? row : null;
    });
    expect(a.hungUpBy).toBe('agent');
    expect(a.answeredAt).not.toBeNull();
    expect(a.talkSeconds).toBeGreaterThanOrEqual(2);
    expect(a.ringSeconds).toBeGreaterThanOrEqual(1);

    const call = await waitFor('recording stored', async () => {
      const row = await db().selectFrom('sipCalls').selectAll().where('attemptId', '=', o.attemptId).executeTakeFirst();
      return row && ['stored', 'none', 'failed'].includes(row.recordingStatus) ? row : null;
    });
    expect(call.recordingStatus).toBe('stored');
    const rec = await db().selectFrom('recordings').selectAll().where('attemptId', '=', o.attemptId).executeTakeFirstOrThrow();
    const samples = await decryptedRecording(stack.server.app, rec);
    expect(rms(samples)).toBeGreaterThan(0.005);
    const clear = await stack.server.app.telephony.recordings.audio(rec);
    expect(rec.durationMs).toBeGreaterThan(2000);
    expect(rec.peaks.length).toBeGreaterThan(10);

    // Trainers stream it with HTTP ranges (audited); the trainee cannot.
    const { login } = await import('../server/test/fixtures.ts');
    const staff = await login(stack.server.app, stack.server.fixture!.users.trainer.username);
    const part = await stack.server.app.inject({ method: 'GET', url: `/api/recordings/${rec.id}/audio`, headers: { ...staff.headers, range: 'bytes=0-99' } });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 0-99/${clear.length}`);
    expect(part.rawPayload.equals(clear.subarray(0, 100))).toBe(true);
    const whole = await stack.server.app.inject({ method: 'GET', url: `/api/recordings/${rec.id}/audio`, headers: staff.headers });
    expect(whole.statusCode).toBe(200);
    expect(whole.rawPayload.length).toBe(clear.length);
    const audited = await db().selectFrom('auditLog').select('action').where('targetId', '=', rec.id).execute();
    expect(audited.map((a) => a.action)).toContain('recording.play');
    const asTrainee = (await page.evaluate(`fetch('/api/recordings/${rec.id}/audio').then((r) => r.status)`)) as number;
    expect(asTrainee).toBe(403);
    // No clear audio left in rtpengine's spool.
    expect(JSON.stringify(await readdir(path.join(stack.telephony.varDir, 'recordings', 'pcaps')).catch(() => []))).not.toContain(call.callId);
    await close(o);
  });

  it('reports a customer hang-up', async () => {
    const o = await offer('+590690004212');
    await dial(o);
    await answered(o);
    const a = await waitFor(
      'customer hang-up',
      async () => {
        const row = await attempt(o.attemptId);
        return row.endedAt ? row : null;
      },
      20_000,
    );
    expect(a.hungUpBy).toBe('customer');
    expect((await phoneState()).call.status).toBe('ended');
    await close(o);
  });

  for (const [name, phone, code, cause] of [
    ['busy', '+590690001213', 486, 'rejected'],
    ['reject', '+590690003214', 603, 'rejected'],
    ['no answer', '+590690002215', 408, 'no_answer'],
  ] as const) {
    it(`records the ${name} outcome with its SIP code`, async () => {
      const o = await offer(phone);
      await dial(o);
      const s = await waitFor('failure', async () => {
        const st = await phoneState();
        return st.call.status === 'ended' ? st : null;
      });
      expect(s.call.sipCode).toBe(code);
      expect(s.error).toMatch(/\S/);
      const a = await waitFor('attempt ended', async () => {
        const row = await attempt(o.attemptId);
        return row.endedAt ? row : null;
      });
      expect(a.sipCode).toBe(code);
      expect(a.cause).toBe(cause);
      expect(a.answeredAt).toBeNull();
      await close(o, name === 'busy' ? 'busy' : name === 'reject' ? 'not_interested' : 'no_answer');
      // The outcome drives the dialer: busy and no answer come back later, a refusal does not.
      const settled = await attempt(o.attemptId);
      expect(settled.outcome).toBe(name === 'busy' ? 'busy' : name === 'reject' ? 'not_interested' : 'no_answer');
      const contact = await db().selectFrom('contactsDialing').select(['status', 'nextAt']).where('contactId', '=', settled.contactId!).executeTakeFirstOrThrow();
      if (name === 'reject') expect(contact.status).not.toBe('pending');
      else {
        expect(contact.status).toBe('pending');
        expect(contact.nextAt.getTime()).toBeGreaterThan(Date.now() + 10 * 60_000);
      }
    });
  }

  it('puts the customer on hold and back (re-INVITE through the proxy)', async () => {
    const o = await offer('+590690000218');
    await dial(o);
    await answered(o);
    const held = () => page.evaluate('window.phone.state.call.held') as Promise<boolean>;
    await page.evaluate('window.phone.hold(true)');
    await waitFor('on hold', held);
    // JsSIP refuses a new re-INVITE while the previous one is pending: ask until it goes.
    await waitFor('resumed', async () => {
      if (!(await held())) return true;
      await page.evaluate('window.phone.hold(false)');
      return false;
    });
    expect((await phoneState()).call.status).toBe('in_call');
    await page.evaluate('window.phone.hangup()');
    await close(o);
  });

  it('reconciles calls the proxy no longer has (server restart, lost event): no trainee stays in call', async () => {
    const o = await offer('+590690000216');
    await dial(o);
    await answered(o);
    const call = await db().selectFrom('sipCalls').selectAll().where('attemptId', '=', o.attemptId).executeTakeFirstOrThrow();
    // The media vanishes behind the server's back (as if rtpengine restarted during the call).
    await stack.server.app.telephony.ng.command('delete', { 'call-id': call.callId });
    expect(await stack.server.app.telephony.service.reconcile(0)).toBe(1);
    const a = await attempt(o.attemptId);
    expect(a.endedAt).not.toBeNull();
    expect(a.hungUpBy).toBe('system');
    expect(a.cause).toBe('reconciled');
    await page.evaluate('window.phone.hangup()');
    await close(o);
  });

  it('never shows the dialled numbers to the browser (SIP, socket.io, HTTP, DOM)', async () => {
    expect(dialled.length).toBeGreaterThan(3);
    const frames = await traffic.frames(page);
    expect(frames.some((f) => f.startsWith('SIP/2.0 200'))).toBe(true);
    const everything = [...frames, ...traffic.http, await page.content()].join('\n');
    for (const phone of dialled) {
      for (const form of numberForms(phone)) expect(everything, form).not.toContain(form);
    }
  });

  it('re-registers by itself after the proxy restarts (network loss)', async () => {
    const env = { ...process.env, ...stack.telephony.env, TELEPHONY_COMPONENTS: 'kamailio' };
    const { execFileSync } = await import('node:child_process');
    execFileSync('bash', ['telephony/scripts/stop.sh'], { env, cwd: path.resolve(import.meta.dirname, '..') });
    await waitFor('line lost', async () => (await phoneState()).health === 'reconnecting');
    execFileSync('bash', ['telephony/scripts/start.sh'], { env, cwd: path.resolve(import.meta.dirname, '..') });
    await waitFor('registered again', async () => (await phoneState()).health === 'ready', 30_000);
  });
});
