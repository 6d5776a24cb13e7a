import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestContext } from './app.ts';
import { login, SEAT_IP, seedFixture, type Fixture } from './fixtures.ts';
import { addContacts, makeCampaign } from './vault-fixtures.ts';

const KEY = 'test-sip-api-key-0123456789';
const SECRET = 'test-sip-auth-secret-0123456789';

describe('telephony API', () => {
  let ctx: TestContext;
  let fx: Fixture;
  beforeAll(async () => {
    ctx = await startTestApp({ SIP_API_KEY: KEY, SIP_AUTH_SECRET: SECRET, SIP_DOMAIN: 'passerelle.test', SIP_WS_URL: 'ws://127.0.0.1:18080' });
    fx = await seedFixture(ctx.app);
  });
  afterAll(async () => ctx?.close());

  it('issues auth_ephemeral credentials to a trainee, for itself only', async () => {
    const { headers } = await login(ctx.app, fx.users.trainee.username);
    const res = await ctx.app.inject({ method: 'POST', url: '/api/telephony/credentials', headers, remoteAddress: SEAT_IP });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const [expiry, user] = body.username.split(':');
    expect(user).toBe(fx.users.trainee.id);
    expect(Number(expiry) * 1000).toBeGreaterThan(Date.now() + 3600_000);
    expect(body.password).toBe(createHmac('sha1', SECRET).update(body.username).digest('base64'));
    expect(body.uri).toBe(`sip:${fx.users.trainee.id}@passerelle.test`);
    expect(body.wsUrl).toBe('ws://127.0.0.1:18080');
  });

  it('gives trainers (practice calls) a shorter line for themselves, partners none, anonymous callers none', async () => {
    const { headers } = await login(ctx.app, fx.users.trainer.username);
    const res = await ctx.app.inject({ method: 'POST', url: '/api/telephony/credentials', headers });
    expect(res.statusCode).toBe(200);
    const [expiry, user] = res.json().username.split(':');
    expect(user).toBe(fx.users.trainer.id);
    expect(Number(expiry) * 1000).toBeLessThanOrEqual(Date.now() + 3600_000 + 1000);
    const partner = await login(ctx.app, fx.users.partnerA.username);
    expect((await ctx.app.inject({ method: 'POST', url: '/api/telephony/credentials', headers: partner.headers })).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'POST', url: '/api/telephony/credentials' })).statusCode).toBe(401);
  });

  it('serves /internal/sip only to loopback callers with the shared key', async () => {
    const url = `/internal/sip/resolve?token=tk_${'a'.repeat(32)}&agent=${fx.users.trainee.id}`;
    expect((await ctx.app.inject({ method: 'GET', url, headers: { 'x-sip-api-key': KEY }, remoteAddress: '192.0.2.7' })).statusCode).toBe(403);
    // A forwarded header does not make a remote caller local.
    expect((await ctx.app.inject({ method: 'GET', url, headers: { 'x-sip-api-key': KEY, 'x-forwarded-for': '127.0.0.1' }, remoteAddress: '192.0.2.7' })).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'GET', url, headers: { 'x-sip-api-key': 'wrong-key-wrong-key' } })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    // Kamailio's named connection sends the key as Basic credentials of the user "kamailio".
    const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
    expect((await ctx.app.inject({ method: 'GET', url, headers: basic('kamailio', 'wrong-key-wrong-key') })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'GET', url, headers: basic('admin', KEY) })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'GET', url, headers: basic('kamailio', KEY), remoteAddress: '192.0.2.7' })).statusCode).toBe(403);
    for (const headers of [{ 'x-sip-api-key': KEY }, basic('kamailio', KEY)]) {
      const ok = await ctx.app.inject({ method: 'GET', url, headers });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual({ ok: false, sipCode: 404, reason: 'unknown' });
    }
  });

  it('accepts call events and ignores calls it never resolved', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/internal/sip/events',
      headers: { 'x-sip-api-key': KEY },
      payload: { event: 'ended', attemptId: 'x', callId: 'never-seen', at: '1700000000.5', sipCode: 486, cause: 'rejected', hungUpBy: 'customer' },
    });
    expect(res.statusCode).toBe(204);
    const bad = await ctx.app.inject({ method: 'POST', url: '/internal/sip/events', headers: { 'x-sip-api-key': KEY }, payload: { event: 'exploded' } });
    expect(bad.statusCode).toBe(400);
  });

  it('keeps recordings and supervision media for trainers and admins', async () => {
    const { headers } = await login(ctx.app, fx.users.trainee.username);
    const id = '00000000-0000-4000-8000-000000000000';
    expect((await ctx.app.inject({ method: 'GET', url: `/api/recordings/${id}/audio`, headers, remoteAddress: SEAT_IP })).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'POST', url: `/api/supervision/calls/${id}/hangup`, headers, remoteAddress: SEAT_IP })).statusCode).toBe(403);
    const staff = await login(ctx.app, fx.users.trainer.username);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/recordings/${id}/audio`, headers: staff.headers })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'POST', url: `/api/supervision/calls/${id}/hangup`, headers: staff.headers })).statusCode).toBe(404);
  });

  it('deletes recordings past their retention date, file first, and keeps the others', async () => {
    const campaignId = await makeCampaign(ctx.app, fx.partnerA);
    const [contactId] = await addContacts(ctx.app, campaignId, [{ phones: ['+590690000901'], pii: {} }]);
    const attempt = await ctx.app.db
      .insertInto('callAttempts')
      .values({ campaignId, contactId, partnerId: fx.partnerA, agentUserId: fx.users.trainee.id, status: 'closed', closedAt: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const dir = path.join(ctx.config.DATA_DIR, 'recordings', campaignId);
    await mkdir(dir, { recursive: true });
    const make = async (callId: string, deleteAfter: Date) => {
      const file = path.join(dir, `${callId}.wav.enc`);
      await writeFile(file, 'x');
      await ctx.app.db
        .insertInto('recordings')
        .values({ attemptId: attempt.id, callId, campaignId, partnerId: fx.partnerA, path: file, mimeType: 'audio/wav', sizeBytes: 1, durationMs: 1, peaks: '[]', sha256: 'x', deleteAfter })
        .execute();
      return file;
    };
    const old = await make('old-call', new Date(Date.now() - 1000));
    const kept = await make('recent-call', new Date(Date.now() + 183 * 86_400_000));
    expect(await ctx.app.telephony.recordings.purgeExpired()).toBe(1);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(kept)).toBe(true);
    const left = await ctx.app.db.selectFrom('recordings').select('callId').where('campaignId', '=', campaignId).execute();
    expect(left.map((r) => r.callId)).toEqual(['recent-call']);
    const audited = await ctx.app.db.selectFrom('auditLog').select(['action', 'targetType']).where('action', '=', 'recording.purged').execute();
    expect(audited).toEqual([{ action: 'recording.purged', targetType: 'recording' }]);
  });
});
