import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTrainee, offerCall, startTelephonyTestStack, type TelephonyTestStack } from './harness/telephony.ts';
import { dialogFrom200, newCallId, newTag, plainSdp, SipWsClient, type Credentials, type Dialog, type RequestSpec } from './harness/telephony-sip.ts';

/**
 * The proxy under attack by a raw SIP-over-WebSocket client (TELEPHONY.md, "Security"): every
 * request an agent can forge gets the right refusal, and none of them reaches the trunk (SIPp's
 * message log is the witness). Real Kamailio, rtpengine, SIPp and server.
 */
describe('SIP proxy security', () => {
  let stack: TelephonyTestStack;
  let domain: string;
  let trainee: string;
  let trainee2: string;
  let partnerId: string;
  let siteId: string;

  const creds = (userId: string, lifetimeS = 3600, secret = stack.telephony.env.SIP_AUTH_SECRET!): Credentials => {
    const username = `${Math.floor(Date.now() / 1000) + lifetimeS}:${userId}`;
    return { username, password: createHmac('sha1', secret).update(username).digest('base64') };
  };
  const connect = () => SipWsClient.connect(stack.telephony.wsUrl);
  const invite = (c: SipWsClient, user: string, ruri: string, extra: Partial<RequestSpec> = {}): RequestSpec => ({
    method: 'INVITE',
    ruri,
    from: `<sip:${user}@${domain}>;tag=${newTag()}`,
    to: `<${ruri}>`,
    callId: newCallId(),
    cseq: 1,
    contact: `<sip:agent@${c.host};transport=ws>`,
    body: plainSdp(),
    ...extra,
  });
  /** The trunk saw nothing carrying this marker (a Call-ID, a CSeq, a method). */
  const trunkNeverSaw = async (marker: string) => expect(await stack.telephony.trunkLog()).not.toContain(marker);

  beforeAll(async () => {
    stack = await startTelephonyTestStack({ ringTimeoutMs: 6000 });
    domain = stack.telephony.domain;
    const fx = stack.server.fixture!;
    trainee = fx.users.trainee.id;
    trainee2 = fx.users.trainee2.id;
    partnerId = fx.partnerA;
    siteId = fx.siteId;
  });
  afterAll(async () => stack?.close());

  it('refuses numbers (403) and anything not token-shaped (404), even authenticated', async () => {
    const c = await connect();
    const me = creds(trainee);
    const cases: [string, number][] = [
      [`sip:+590690001234@${domain}`, 403],
      [`sip:0690001234@${domain}`, 403],
      [`sip:00590690001234@${domain}`, 403],
      [`sip:+590690001234@127.0.0.1:${stack.telephony.trunkPort}`, 403],
      [`tel:+590690001234`, 403],
      [`sip:someone@${domain}`, 404],
      [`sip:${trainee2}@${domain}`, 404], // another agent's address
      [`sip:tk_short@${domain}`, 404],
    ];
    for (const [ruri, code] of cases) {
      const spec = invite(c, trainee, ruri);
      const res = await c.request(spec, me);
      expect(res.status, ruri).toBe(code);
      await trunkNeverSaw(spec.callId!);
    }
    c.close();
  });

  it('refuses used, expired and other trainees’ tokens; a token works once', async () => {
    const c = await connect();
    const me = creds(trainee);
    // Another trainee's token: refused like an unknown one (no oracle).
    const theirs = await offerCall(stack.server.app, { partnerId, traineeId: trainee2, phone: '+590690000101' });
    const r1 = await c.request(invite(c, trainee, `sip:${theirs.token}@${domain}`), me);
    expect(r1.status).toBe(404);

    // Expired token.
    const t1 = await addTrainee(stack.server.app, siteId);
    const mine = await offerCall(stack.server.app, { partnerId, traineeId: t1, phone: '+590690000102' });
    await stack.server.app.db.updateTable('callTokens').set({ expiresAt: new Date(Date.now() - 1000) }).where('token', '=', mine.token).execute();
    const expired = invite(c, t1, `sip:${mine.token}@${domain}`);
    expect((await c.request(expired, creds(t1))).status).toBe(403);
    await trunkNeverSaw(expired.callId!);

    // A busy number (1xxx): the first INVITE goes through, the same token again is refused.
    const t2 = await addTrainee(stack.server.app, siteId);
    const busy = await offerCall(stack.server.app, { partnerId, traineeId: t2, phone: '+590690001103' });
    const first = invite(c, t2, `sip:${busy.token}@${domain}`);
    expect((await c.request(first, creds(t2), 8000)).status).toBe(486);
    expect(await stack.telephony.trunkLog()).toContain(first.callId!);
    const again = invite(c, t2, `sip:${busy.token}@${domain}`);
    expect((await c.request(again, creds(t2))).status).toBe(403);
    await trunkNeverSaw(again.callId!);
    c.close();
  });

  it('refuses forged, expired and borrowed credentials and non-websocket contacts', async () => {
    const c = await connect();
    const register = (user: string, contact: string, extra: string[] = []): RequestSpec => ({
      method: 'REGISTER',
      ruri: `sip:${domain}`,
      from: `<sip:${user}@${domain}>;tag=${newTag()}`,
      to: `<sip:${user}@${domain}>`,
      callId: newCallId(),
      cseq: 1,
      contact,
      headers: ['Expires: 300', ...extra],
    });
    const ws = `<sip:agent@${c.host};transport=ws>`;
    expect((await c.request(register(trainee, ws), creds(trainee))).status).toBe(200);
    expect((await c.request(register(trainee, ws), creds(trainee, 3600, 'not-the-shared-secret'))).status).toBe(403);
    expect((await c.request(register(trainee, ws), creds(trainee, -60))).status).toBe(403);
    // Valid credentials of one trainee used for another identity.
    expect((await c.request(register(trainee2, ws), creds(trainee))).status).toBe(403);
    // A contact elsewhere than this websocket (calls would be diverted there).
    expect((await c.request(register(trainee, '<sip:agent@192.0.2.10:5060;transport=udp>'), creds(trainee))).status).toBe(403);
    expect((await c.request(register(trainee, '<sip:agent@192.0.2.10:5060>'), creds(trainee))).status).toBe(403);
    expect((await c.request(register(trainee, `${ws}, <sip:agent@192.0.2.10:5060>`), creds(trainee))).status).toBe(403);
    // Calling as someone else with one's own credentials.
    const spoof = invite(c, trainee2, `sip:tk_${'A'.repeat(32)}@${domain}`);
    expect((await c.request(spoof, creds(trainee))).status).toBe(403);
    c.close();
  });

  it('answers 481 to requests pretending to be in a dialog the proxy never created', async () => {
    const c = await connect();
    const trunk = `sip:+590690001234@127.0.0.1:${stack.telephony.trunkPort}`;
    for (const withCreds of [false, true]) {
      for (const method of ['INVITE', 'BYE', 'INFO']) {
        const spec: RequestSpec = {
          ...invite(c, trainee, trunk),
          method,
          to: `<${trunk}>;tag=${newTag()}`,
          headers: [`Route: <sip:127.0.0.1:${stack.telephony.trunkPort};lr>`],
          ...(method === 'INVITE' ? {} : { body: '' }),
        };
        const res = await c.request(spec, withCreds ? creds(trainee) : undefined);
        expect(res.status, `${method} creds=${withCreds}`).toBe(481);
        await trunkNeverSaw(spec.callId!);
      }
    }
    c.close();
  });

  describe('inside a live call', () => {
    let c: SipWsClient;
    let dialog: Dialog;
    let attemptId: string;
    let agent: string;
    const inDialog = (method: string, over: Partial<RequestSpec> = {}, cseq = 0): RequestSpec => ({
      method,
      ruri: dialog.remoteTarget,
      from: dialog.from,
      to: dialog.to,
      callId: dialog.callId,
      cseq: 9000 + cseq,
      headers: dialog.routes.map((r) => `Route: ${r}`),
      ...over,
    });

    beforeAll(async () => {
      agent = await addTrainee(stack.server.app, siteId);
      const offer = await offerCall(stack.server.app, { partnerId, traineeId: agent, phone: '+590690000104' });
      attemptId = offer.attemptId;
      c = await connect();
      const spec = invite(c, agent, `sip:${offer.token}@${domain}`);
      const ok = await c.request(spec, creds(agent), 10_000);
      expect(ok.status).toBe(200);
      dialog = dialogFrom200(spec, ok);
      c.sendRaw(c.build({ ...inDialog('ACK'), cseq: dialog.cseq }));
    });
    afterAll(() => c?.close());

    it('refuses a re-INVITE or request that re-targets the call (new request-URI, forged Route)', async () => {
      const elsewhere = `sip:+590690009999@127.0.0.1:${stack.telephony.trunkPort}`;
      expect((await c.request(inDialog('INVITE', { ruri: elsewhere, body: plainSdp() }, 1))).status).toBe(403);
      const forgedRoute = [...dialog.routes.map((r) => `Route: ${r}`), `Route: <sip:127.0.0.1:${stack.telephony.trunkPort};lr>`];
      expect((await c.request(inDialog('INFO', { headers: forgedRoute }, 2))).status).toBe(403);
      const routeFirst = [`Route: <sip:127.0.0.1:${stack.telephony.trunkPort};lr>`, ...dialog.routes.map((r) => `Route: ${r}`)];
      expect((await c.request(inDialog('INFO', { headers: routeFirst }, 3))).status).toBe(403);
      expect((await c.request(inDialog('INFO', { headers: [] }, 4))).status).toBe(403);
    });

    it('refuses REFER, MESSAGE, SUBSCRIBE, NOTIFY and PUBLISH (405)', async () => {
      let n = 10;
      for (const method of ['REFER', 'MESSAGE', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH']) {
        const extra = method === 'REFER' ? [`Refer-To: <sip:+590690009999@127.0.0.1:${stack.telephony.trunkPort}>`] : [];
        const res = await c.request(inDialog(method, { headers: [...dialog.routes.map((r) => `Route: ${r}`), ...extra] }, n++));
        expect(res.status, method).toBe(405);
      }
      const outside = await c.request({ ...invite(c, trainee, `sip:+590690009999@${domain}`), method: 'MESSAGE', body: 'bonjour', contentType: 'text/plain' });
      expect(outside.status).toBe(405);
    });

    it('refuses in-dialog requests from another connection, even with valid credentials', async () => {
      const other = await connect();
      const res = await other.request(inDialog('BYE', {}, 20), creds(agent));
      expect(res.status).toBe(403);
      other.close();
    });

    it('let none of these reach the trunk, while the real call did', async () => {
      const log = await stack.telephony.trunkLog();
      expect(log).toContain(dialog.callId);
      for (const marker of ['CSeq: 9001', 'CSeq: 9002', 'CSeq: 9003', 'CSeq: 9004', 'CSeq: 9020', '+590690009999', 'REFER', 'MESSAGE sip', 'SUBSCRIBE sip', 'NOTIFY sip', 'PUBLISH sip']) {
        expect(log, marker).not.toContain(marker);
      }
    });

    it('ends the call on the agent’s BYE and reports it to the dialer', async () => {
      const bye = await c.request(inDialog('BYE', {}, 30));
      expect(bye.status).toBe(200);
      const deadline = Date.now() + 5000;
      let attempt;
      do {
        await new Promise((r) => setTimeout(r, 100));
        attempt = await stack.server.app.db.selectFrom('callAttempts').selectAll().where('id', '=', attemptId).executeTakeFirstOrThrow();
      } while (!attempt.endedAt && Date.now() < deadline);
      expect(attempt.answeredAt).not.toBeNull();
      expect(attempt.endedAt).not.toBeNull();
      expect(attempt.hungUpBy).toBe('agent');
    });
  });

  it('drops a websocket sending a 64 KB header and keeps serving others', async () => {
    const c = await connect();
    c.sendRaw(c.build({ ...invite(c, trainee, `sip:tk_${'B'.repeat(32)}@${domain}`), headers: [`X-Big: ${'x'.repeat(64 * 1024)}`] }));
    await new Promise((r) => setTimeout(r, 500));
    const fresh = await connect();
    const res = await fresh.request(invite(fresh, trainee, `sip:+590690001234@${domain}`), creds(trainee));
    expect(res.status).toBe(403);
    fresh.close();
    c.close();
  });
});
