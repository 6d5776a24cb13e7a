import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchBrowser, PASSWORD, waitFor, type LaunchedBrowser } from './harness/index.ts';
import { offerCall, startTelephonyTestStack, type OfferedCall, type TelephonyTestStack } from './harness/telephony.ts';
import { lineRegistered, openSoftphone, signInOverApi } from './harness/telephony-browser.ts';
import { realtimeAs } from './harness/realtime.ts';

/**
 * A trainer in a second browser listens live to both legs of a trainee's call (rtpengine
 * subscriptions into WebRTC), whispers to the trainee (who is told at once over its socket and
 * hears the trainer), then hangs the call up for both sides: the sessions end with the call. Every
 * action is audited, each end with its duration.
 */
describe('live supervision of a call', () => {
  let stack: TelephonyTestStack;
  let agentBrowser: LaunchedBrowser;
  let trainerBrowser: LaunchedBrowser;
  let agent: Page;
  let trainer: Page;
  let trainerCsrf: string;
  let agentCsrf: string;
  let call: OfferedCall;
  let trainerSocket: Awaited<ReturnType<typeof realtimeAs>>;
  let traineeSocket: Awaited<ReturnType<typeof realtimeAs>>;

  const agentCall = () => agent.evaluate('window.phone.state.call') as Promise<{ status: string }>;

  beforeAll(async () => {
    stack = await startTelephonyTestStack();
    const fx = stack.server.fixture!;
    agentBrowser = await launchBrowser();
    agent = await agentBrowser.context.newPage();
    agentCsrf = await openSoftphone(agent, stack.server.url, fx.users.trainee.username, PASSWORD);
    await lineRegistered(agent);

    trainerBrowser = await launchBrowser();
    trainer = await trainerBrowser.context.newPage();
    trainerCsrf = await signInOverApi(trainer, stack.server.url, fx.users.trainer.username, PASSWORD, '/supervisor/');
    // Listen and whisper sessions live as long as the trainer's /supervisor socket.
    trainerSocket = await realtimeAs(trainerBrowser.context, stack.server.url, '/supervisor');
    traineeSocket = await realtimeAs(agentBrowser.context, stack.server.url, '/agent');
    // This page's line obeys a supervisor's hang-up as the agent console does (AgentContext).
    traineeSocket.socket.on('supervision:hangup', ({ attemptId }: { attemptId: string }) => {
      if (attemptId === call.attemptId) void agent.evaluate('window.phone.hangup()');
    });

    call = await offerCall(stack.server.app, { partnerId: fx.partnerA, traineeId: fx.users.trainee.id, phone: '+590690000311' });
    await agent.evaluate(`window.phone.call(${JSON.stringify(call.token)})`);
    await waitFor('answer', async () => (await agentCall()).status === 'in_call');
  });
  afterAll(async () => {
    trainerSocket?.socket.disconnect();
    traineeSocket?.socket.disconnect();
    await agentBrowser?.close();
    await trainerBrowser?.close();
    await stack?.close();
  });

  it('lets the trainer hear both legs', async () => {
    const received = (await trainer.evaluate(
      `(async () => {
        const post = (url, body) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': ${JSON.stringify(trainerCsrf)} }, body: JSON.stringify(body ?? {}) });
        const res = await post('/api/supervision/calls/${call.attemptId}/listen', { socketId: ${JSON.stringify(trainerSocket.socket.id)} });
        if (res.status !== 200) return { error: res.status + ' ' + await res.text() };
        const { sessionId, offers } = await res.json();
        const pcs = [];
        for (const o of offers) {
          const pc = new RTCPeerConnection({ iceServers: [] });
          pc.addEventListener('track', (e) => {
            const audio = new Audio();
            audio.srcObject = e.streams[0] ?? new MediaStream([e.track]);
            audio.play().catch(() => {});
          });
          await pc.setRemoteDescription({ type: 'offer', sdp: o.sdp });
          await pc.setLocalDescription(await pc.createAnswer());
          await new Promise((r) => { if (pc.iceGatheringState === 'complete') r(); else { pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && r()); setTimeout(r, 2000); } });
          const a = await post('/api/supervision/sessions/' + sessionId + '/answer', { subscriptionTag: o.subscriptionTag, sdp: pc.localDescription.sdp });
          if (a.status !== 204) return { error: 'answer ' + a.status + ' ' + await a.text() };
          pcs.push({ participant: o.participant, pc });
        }
        window.listening = pcs;
        await new Promise((r) => setTimeout(r, 4000));
        const out = {};
        for (const { participant, pc } of pcs) {
          let bytes = 0;
          (await pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp') bytes += s.bytesReceived; });
          out[participant] = bytes;
        }
        return out;
      })()`,
    )) as Record<string, number> & { error?: string };
    expect(received.error).toBeUndefined();
    expect(received.agent).toBeGreaterThan(4000);
    expect(received.customer).toBeGreaterThan(4000);
    // The trainee's call goes on undisturbed.
    expect((await agentCall()).status).toBe('in_call');
  });

  it('lets the trainer whisper to the trainee (publish into the call, trainee subscribes)', async () => {
    const published = (await trainer.evaluate(
      `(async () => {
        const mic = await navigator.mediaDevices.getUserMedia({ audio: true });
        const pc = new RTCPeerConnection({ iceServers: [] });
        for (const t of mic.getTracks()) pc.addTrack(t, mic);
        await pc.setLocalDescription(await pc.createOffer());
        await new Promise((r) => { if (pc.iceGatheringState === 'complete') r(); else { pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && r()); setTimeout(r, 2000); } });
        const res = await fetch('/api/supervision/calls/${call.attemptId}/whisper', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': ${JSON.stringify(trainerCsrf)} }, body: JSON.stringify({ sdp: pc.localDescription.sdp, socketId: ${JSON.stringify(trainerSocket.socket.id)} }) });
        if (res.status !== 200) return { error: res.status + ' ' + await res.text() };
        await pc.setRemoteDescription({ type: 'answer', sdp: (await res.json()).sdp });
        window.whisperPc = pc;
        return { ok: true };
      })()`,
    )) as { ok?: true; error?: string };
    expect(published.error, published.error).toBeUndefined();
    // The trainee's console is told at once, with the trainer's name.
    expect(await traineeSocket.log.next('supervision:whisper')).toEqual({ attemptId: call.attemptId, active: true, by: 'trainer' });
    const joined = (await agent.evaluate(
      `(async () => {
        const headers = { 'content-type': 'application/json', 'x-csrf-token': ${JSON.stringify(agentCsrf)} };
        const res = await fetch('/api/telephony/whisper', { method: 'POST', headers: { 'x-csrf-token': headers['x-csrf-token'] } });
        if (res.status !== 200) return { error: res.status + ' ' + await res.text() };
        const feed = await res.json();
        await window.phone.joinWhisper(feed.sdp, (sdp) => fetch('/api/telephony/whisper/answer', { method: 'POST', headers, body: JSON.stringify({ subscriptionTag: feed.subscriptionTag, sdp }) }).then(() => undefined));
        return { ok: true };
      })()`,
    )) as { ok?: true; error?: string };
    expect(joined.error, joined.error).toBeUndefined();
    const heard = await waitFor('whisper audio at the trainee', async () => {
      const bytes = (await agent.evaluate('window.phone.whisperBytes()')) as number;
      return bytes > 4000 ? bytes : null;
    });
    expect(heard).toBeGreaterThan(4000);
    expect((await agentCall()).status).toBe('in_call');
  });

  it('lets the trainer hang up the call for both sides at once: the console hangs up, its BYE reaches the customer', async () => {
    const status = await trainer.evaluate(
      `fetch('/api/supervision/calls/${call.attemptId}/hangup', { method: 'POST', headers: { 'x-csrf-token': ${JSON.stringify(trainerCsrf)} } }).then((r) => r.status)`,
    );
    expect(status).toBe(204);
    await waitFor('agent side ended', async () => (await agentCall()).status === 'ended');
    const attempt = await waitFor('attempt ended', async () => {
      const row = await stack.server.app.db.selectFrom('callAttempts').selectAll().where('id', '=', call.attemptId).executeTakeFirstOrThrow();
      return row.endedAt ? row : null;
    });
    expect(attempt.hungUpBy).toBe('supervisor');
    const sip = await stack.server.app.db.selectFrom('sipCalls').select('callId').where('attemptId', '=', call.attemptId).executeTakeFirstOrThrow();
    const bye = (await stack.telephony.trunkLog()).split(/\n\s*\n/).find((m) => m.startsWith('BYE ') && m.includes(`Call-ID: ${sip.callId}`));
    // Relayed from the trainee's line (its User-Agent), not generated by the proxy.
    expect(bye).toContain('User-Agent: Passerelle');
    // The call's end ends the listen and the whisper: nobody is left on it, the trainee is told.
    expect(await traineeSocket.log.next('supervision:whisper', (n: { active: boolean }) => !n.active)).toMatchObject({ active: false });
    const open = await stack.server.app.db.selectFrom('supervisionSessions').select('id').where('attemptId', '=', call.attemptId).where('endedAt', 'is', null).execute();
    expect(open).toEqual([]);
    const audit = await stack.server.app.db.selectFrom('auditLog').select(['action', 'details']).where('targetId', '=', call.attemptId).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['supervision.listen', 'supervision.whisper', 'supervision.hangup', 'supervision.listen_stop', 'supervision.whisper_stop']));
    for (const stop of audit.filter((a) => a.action.endsWith('_stop'))) {
      expect(stop.details).toMatchObject({ reason: 'call_ended' });
      expect((stop.details as { durationSeconds: number }).durationSeconds).toBeGreaterThanOrEqual(1);
    }
  });
});
