import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PracticeInvitation } from '@passerelle/shared/events';
import { startTestApp, type TestContext } from './app.ts';
import { login, SEAT_IP, seedFixture, type Fixture } from './fixtures.ts';
import { seedRunningCampaign, wednesdayOffsetMin } from './dialer-fixtures.ts';
import { rtpPcap, soxAlaw } from './assessment-fixtures.ts';

const KEY = 'test-sip-api-key-0123456789';

/**
 * Live practice calls without the media stack: invitation, acceptance, the practice token's rules
 * at the proxy's resolution endpoint (single use, bound to its trainee, expiry, never a campaign
 * token for a trainer), call events, the recording under the practice key, and its scoring.
 * The browsers, Kamailio and rtpengine side is e2e/practice-call.test.ts.
 */
describe('practice calls (mises en situation) through the platform', () => {
  let ctx: TestContext;
  let fx: Fixture;
  let trainer: { headers: Record<string, string> };
  let trainee: { headers: Record<string, string> };
  let trainee2: { headers: Record<string, string> };

  const api = (who: { headers: Record<string, string> }, method: 'GET' | 'POST', url: string, payload?: object) =>
    ctx.app.inject({ method, url, headers: who.headers, remoteAddress: SEAT_IP, ...(payload ? { payload } : {}) });
  const resolve = (token: string, agent: string, callId = `pc-${Math.random().toString(36).slice(2)}`) =>
    ctx.app.inject({ method: 'GET', url: `/internal/sip/resolve-practice?token=${token}&agent=${agent}&callId=${callId}`, headers: { 'x-sip-api-key': KEY } }).then((r) => r.json());
  const event = (payload: object) => ctx.app.inject({ method: 'POST', url: '/internal/sip/events', headers: { 'x-sip-api-key': KEY }, payload });
  const row = (id: string) => ctx.app.db.selectFrom('practiceCalls').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const audits = (id: string) =>
    ctx.app.db.selectFrom('auditLog').select('action').where('targetId', '=', id).orderBy('id').execute().then((r) => r.map((a) => a.action));

  async function invite(traineeId = fx.users.trainee.id): Promise<string> {
    const r = await api(trainer, 'POST', '/api/assessment/practice-calls/live', { traineeId, scenario: 'difficult_customer' });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id;
  }
  async function accept(id: string, who = trainee): Promise<string> {
    const r = await api(who, 'POST', `/api/me/practice/${id}/accept`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json().token;
  }
  /** Ends what a test left open so the next one may invite the same trainee. */
  const settle = (id: string) => ctx.app.db.updateTable('practiceCalls').set({ status: 'ended', endedAt: new Date() }).where('id', '=', id).where('status', 'in', ['invited', 'accepted', 'calling', 'in_call']).execute();

  beforeAll(async () => {
    ctx = await startTestApp({ SIP_API_KEY: KEY, DIALER_RULES_CLOCK_OFFSET_MIN: String(wednesdayOffsetMin()), LOGIN_RATE_PER_MIN: '1000' });
    fx = await seedFixture(ctx.app);
    trainer = await login(ctx.app, fx.users.trainer.username);
    trainee = await login(ctx.app, fx.users.trainee.username);
    trainee2 = await login(ctx.app, fx.users.trainee2.username);
  });
  afterAll(async () => ctx?.close());

  it('invites the trainee with the scenario it may see (no customer role, no pitfalls), no other trainee', async () => {
    const id = await invite();
    const mine = (await api(trainee, 'GET', '/api/me/practice')).json().invitation as PracticeInvitation;
    expect(mine.practiceCallId).toBe(id);
    expect(mine.scenario.title).toBe('Client difficile');
    expect(mine.scenario.objectives.length).toBeGreaterThan(0);
    expect(JSON.stringify(mine)).not.toContain('menace de porter plainte'); // the customer role
    expect(JSON.stringify(mine)).not.toContain('Répondre sur le même ton'); // a pitfall
    expect((await api(trainee2, 'GET', '/api/me/practice')).json().invitation).toBeNull();
    // Another trainee cannot accept it, the trainer cannot invite the same trainee twice.
    expect((await api(trainee2, 'POST', `/api/me/practice/${id}/accept`)).statusCode).toBe(404);
    expect((await api(trainer, 'POST', '/api/assessment/practice-calls/live', { traineeId: fx.users.trainee.id, scenario: 'loyalty' })).statusCode).toBe(409);
    // Trainees cannot start practice calls; trainers cannot accept them.
    expect((await api(trainee, 'POST', '/api/assessment/practice-calls/live', { traineeId: fx.users.trainee.id, scenario: 'loyalty' })).statusCode).toBe(403);
    expect((await api(trainer, 'POST', `/api/me/practice/${id}/accept`)).statusCode).toBe(403);
    expect((await api(trainee, 'POST', `/api/me/practice/${id}/decline`)).statusCode).toBe(204);
    expect((await row(id)).status).toBe('declined');
    expect(await audits(id)).toEqual(['practice_call.start', 'practice_call.decline']);
  });

  it('resolves a practice token once, for its trainee only, to the trainer (never a number)', async () => {
    const id = await invite();
    const token = await accept(id);
    expect(token).toMatch(/^pt_[0-9A-Za-z]{32}$/);
    // The token is stored hashed only.
    expect(JSON.stringify(await row(id))).not.toContain(token.slice(3));
    expect(await resolve(token, fx.users.trainee2.id)).toEqual({ ok: false, sipCode: 404, reason: 'wrong_agent' });
    expect(await resolve(token, fx.users.trainer.id)).toEqual({ ok: false, sipCode: 404, reason: 'wrong_agent' });
    expect(await resolve(`pt_${'x'.repeat(32)}`, fx.users.trainee.id)).toEqual({ ok: false, sipCode: 404, reason: 'unknown' });
    // The partner API keys' prefix is not a practice token's.
    expect(await resolve(`pk_${token.slice(3)}`, fx.users.trainee.id)).toEqual({ ok: false, sipCode: 404, reason: 'unknown' });
    const ok = await resolve(token, fx.users.trainee.id, 'practice-call-1');
    expect(ok).toEqual({ ok: true, trainer: fx.users.trainer.id, practiceCallId: id });
    expect(await resolve(token, fx.users.trainee.id)).toEqual({ ok: false, sipCode: 403, reason: 'used' });
    // The campaign resolver does not know practice tokens either.
    const campaignPath = await ctx.app.inject({ method: 'GET', url: `/internal/sip/resolve?token=${token}&agent=${fx.users.trainee.id}`, headers: { 'x-sip-api-key': KEY } });
    expect(campaignPath.json()).toMatchObject({ ok: false, sipCode: 404 });
    expect((await row(id)).status).toBe('calling');
    const refused = await ctx.app.db.selectFrom('auditLog').select(['details']).where('action', '=', 'practice_call.dial_refused').where('targetId', '=', id).execute();
    expect(refused.map((r) => (r.details as { reason: string }).reason).sort()).toEqual(['used', 'wrong_agent', 'wrong_agent']);
    await settle(id);
  });

  it('expires invitations and tokens that wait too long', async () => {
    const id = await invite();
    await ctx.app.db.updateTable('practiceCalls').set({ inviteExpiresAt: new Date(Date.now() - 1000) }).where('id', '=', id).execute();
    expect((await api(trainee, 'POST', `/api/me/practice/${id}/accept`)).statusCode).toBe(404);
    expect((await row(id)).status).toBe('expired');

    const id2 = await invite();
    const token = await accept(id2);
    await ctx.app.db.updateTable('practiceCalls').set({ tokenExpiresAt: new Date(Date.now() - 1000) }).where('id', '=', id2).execute();
    expect(await resolve(token, fx.users.trainee.id)).toEqual({ ok: false, sipCode: 403, reason: 'expired' });
    // A withdrawn invitation's token is dead too.
    const id3 = await invite();
    const token3 = await accept(id3);
    expect((await api(trainer, 'POST', `/api/assessment/practice-calls/${id3}/cancel`)).json().status).toBe('cancelled');
    expect(await resolve(token3, fx.users.trainee.id)).toEqual({ ok: false, sipCode: 403, reason: 'used' });
  });

  it('never lets a trainer resolve a campaign call token, nor a trainee busy in a call accept', async () => {
    const campaign = await seedRunningCampaign(ctx.app, fx, { count: 1, trainees: [fx.users.trainee2.id] });
    await ctx.app.dialer.connect(fx.users.trainee2.id);
    await ctx.app.dialer.ready(fx.users.trainee2.id);
    const offer = await ctx.app.db.selectFrom('callTokens').select(['token']).where('agentUserId', '=', fx.users.trainee2.id).where('usedAt', 'is', null).executeTakeFirstOrThrow();
    const asTrainer = await ctx.app.inject({ method: 'GET', url: `/internal/sip/resolve?token=${offer.token}&agent=${fx.users.trainer.id}`, headers: { 'x-sip-api-key': KEY } });
    expect(asTrainer.json()).toEqual({ ok: false, sipCode: 404, reason: 'wrong_agent' });
    // The practice path does not know campaign tokens.
    expect(await resolve(offer.token, fx.users.trainee2.id)).toEqual({ ok: false, sipCode: 404, reason: 'unknown' });
    // An offered trainee who accepts a practice call is paused for training, the offer goes back.
    const id = await invite(fx.users.trainee2.id);
    await accept(id, trainee2);
    const state = await ctx.app.dialer.agents.get(fx.users.trainee2.id);
    expect([state?.status, state?.reason]).toEqual(['paused', 'training']);
    await settle(id);
    expect(campaign.contactIds).toHaveLength(1);
    await ctx.app.db.updateTable('agentPresence').set({ status: 'in_call' }).where('userId', '=', fx.users.trainee2.id).execute();
    const busy = await invite(fx.users.trainee2.id);
    expect((await api(trainee2, 'POST', `/api/me/practice/${busy}/accept`)).statusCode).toBe(409);
    await settle(busy);
  });

  it('follows the call events, stores the recording under the practice key, and scores it like any call', async () => {
    const id = await invite();
    const token = await accept(id);
    const callId = `practice-${id}`;
    expect((await resolve(token, fx.users.trainee.id, callId)).ok).toBe(true);
    const t0 = Math.floor(Date.now() / 1000);
    expect((await event({ event: 'ringing', attemptId: 'practice', callId, at: `${t0}.1`, sipCode: 180 })).statusCode).toBe(204);
    expect((await event({ event: 'answered', attemptId: 'practice', callId, at: `${t0 + 1}.0`, sipCode: 200 })).statusCode).toBe(204);
    expect((await row(id)).status).toBe('in_call');
    // rtpengine's pcap of both legs, as the spool would hold it.
    const spool = path.join(ctx.config.TELEPHONY_SPOOL_DIR, 'pcaps');
    mkdirSync(spool, { recursive: true });
    writeFileSync(path.join(spool, `${callId}-1.pcap`), rtpPcap(soxAlaw(4)));
    await event({ event: 'ended', attemptId: 'practice', callId, at: `${t0 + 13}.0`, sipCode: 200, cause: 'normal', hungUpBy: 'customer' });
    await event({ event: 'ended', attemptId: 'practice', callId, at: `${t0 + 14}.0`, sipCode: 200, cause: 'normal', hungUpBy: 'agent' }); // repeated: ignored
    await ctx.app.telephony.service.drain();
    const done = await row(id);
    expect(done).toMatchObject({ status: 'ended', hungUpBy: 'customer', recordingStatus: 'stored' });
    expect((done.endedAt!.getTime() - done.startedAt.getTime()) / 1000).toBe(12);
    const rec = await ctx.app.db.selectFrom('recordings').selectAll().where('id', '=', done.recordingId!).executeTakeFirstOrThrow();
    expect(rec).toMatchObject({ practiceCallId: id, attemptId: null, campaignId: null, partnerId: null });
    const atRest = await readFile(rec.path);
    const clear = await ctx.app.telephony.recordings.audio(rec);
    expect(clear.subarray(0, 4).toString()).toBe('RIFF');
    expect(atRest.subarray(0, 4).toString('latin1')).not.toBe('RIFF');
    // Encrypted with the named practice key (wrapped in vault_keys), never with the master key.
    const key = await ctx.app.db.selectFrom('vaultKeys').selectAll().where('name', '=', 'practice-recordings').executeTakeFirstOrThrow();
    expect(key.masterKeyId).toBe(ctx.config.MASTER_KEY_ID);
    expect(await audits(id)).toEqual(['practice_call.start', 'practice_call.accept', 'practice_call.ended', 'practice_call.recording_stored']);
    // A recording is a campaign call's or a practice call's, never both nor neither.
    await expect(ctx.app.db.updateTable('recordings').set({ attemptId: null, practiceCallId: null }).where('id', '=', rec.id).execute()).rejects.toThrow(/recordings_subject_chk/);

    // Scored from its recording like a campaign call, marked as practice.
    const ev = await api(trainer, 'POST', '/api/assessment/evaluations', { recordingId: rec.id });
    expect(ev.statusCode, ev.body).toBe(201);
    expect(ev.json()).toMatchObject({ subject: 'practice', isPractice: true, practiceCallId: id, callDurationS: 12 });
    expect(ev.json().recording.id).toBe(rec.id);
    const audio = await api(trainer, 'GET', `/api/recordings/${rec.id}/audio`);
    expect(audio.statusCode).toBe(200);
    expect(audio.rawPayload.equals(clear)).toBe(true);
    // The retention job purges practice recordings like the others.
    await ctx.app.db.updateTable('recordings').set({ deleteAfter: new Date(Date.now() - 1000) }).where('id', '=', rec.id).execute();
    expect(await ctx.app.telephony.recordings.purgeExpired()).toBe(1);
    expect((await row(id)).recordingId).toBeNull();
  });
});
