import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../src/app.ts';
import { redactedPaths } from '../src/lib/logger.ts';
import { createFreshDatabase } from './db.ts';
import { testConfig } from './app.ts';
import { OUTSIDE_IP, PASSWORD, seedFixture, type Fixture } from './fixtures.ts';

const lines: string[] = [];
const stream = new Writable({
  write(chunk, _enc, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

let app: App;
let fx: Fixture;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await createFreshDatabase();
  drop = db.drop;
  app = await buildApp(testConfig(db.url, { LOGIN_RATE_PER_MIN: '1000' }), {
    logger: { stream, level: 'info', redact: { paths: redactedPaths, censor: '[masqué]' } },
  });
  // A route that logs its whole body (the mistake redaction protects against).
  app.addHook('preHandler', async (request) => {
    if (request.body) request.log.info({ body: request.body }, 'request body');
  });
  await app.ready();
  fx = await seedFixture(app);
});
afterAll(async () => {
  await app?.close();
  await drop?.();
});

describe('log redaction', () => {
  it('never writes the password, session cookie, CSRF token or API key of a login and its follow-ups', async () => {
    const wrong = 'Wrong-Password-123!';
    await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: fx.users.admin.username, password: wrong }, remoteAddress: OUTSIDE_IP });
    const ok = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: fx.users.admin.username, password: PASSWORD }, remoteAddress: OUTSIDE_IP });
    expect(ok.statusCode).toBe(200);
    const cookie = ok.cookies.find((c) => c.name === 'psid')!.value;
    const csrf = ok.json().csrfToken as string;
    const headers = { cookie: `psid=${cookie}`, 'x-csrf-token': csrf };
    const created = await app.inject({ method: 'POST', url: `/api/partners/${fx.partnerA}/api-keys`, headers, payload: { name: 'k' }, remoteAddress: OUTSIDE_IP });
    const key = created.json().key as string;
    await app.inject({ method: 'GET', url: '/api/partner/me', headers: { authorization: `Bearer ${key}` }, remoteAddress: OUTSIDE_IP });
    await app.inject({ method: 'POST', url: '/api/admin/users', headers, remoteAddress: OUTSIDE_IP, payload: { username: 'u1', displayName: 'U', role: 'trainer', password: 'Another-Long-Secret-9' } });

    const bodyLines = lines.filter((l) => l.includes('"request body"'));
    const loginLine = bodyLines.find((l) => l.includes(fx.users.admin.username));
    expect(loginLine).toBeDefined();
    expect(JSON.parse(loginLine!).body).toEqual({ username: fx.users.admin.username, password: '[masqué]' });
    const all = lines.join('\n');
    expect(all).toContain('/api/auth/login');
    for (const secret of [PASSWORD, wrong, 'Another-Long-Secret-9', cookie, csrf, key]) expect(all).not.toContain(secret);
  });

  it('writes no access log for the SIP proxy’s requests (several per call), but still for the API', async () => {
    lines.length = 0;
    const token = `tk_${'a'.repeat(32)}`;
    const resolved = await app.inject({ method: 'GET', url: `/internal/sip/resolve?token=${token}&agent=${fx.users.trainee.id}`, headers: { 'x-sip-api-key': app.config.SIP_API_KEY }, remoteAddress: '127.0.0.1' });
    expect(resolved.json()).toMatchObject({ ok: false, sipCode: 404 });
    await app.inject({ method: 'GET', url: '/api/partner/me', remoteAddress: OUTSIDE_IP });
    const urls = lines.map((l) => (JSON.parse(l) as { req?: { url?: string } }).req?.url).filter(Boolean);
    expect(urls.some((u) => u!.startsWith('/api/partner/me'))).toBe(true);
    expect(urls.some((u) => u!.startsWith('/internal/sip'))).toBe(false);
  });
});
