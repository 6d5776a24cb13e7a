import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles, type Role } from '@passerelle/shared/roles';
import Fastify from 'fastify';
import auth from '../src/plugins/auth.ts';
import { randomToken, sha256Hex } from '../src/lib/tokens.ts';
import type { RouteAccess } from '../src/plugins/auth.ts';
import { startTestApp, type TestContext } from './app.ts';
import { SEAT_IP, seedFixture, type Fixture } from './fixtures.ts';

/**
 * Every /api route × every kind of caller. The expectation comes from the route's declared access,
 * overridden by the table below for the routes we know: a wrong declaration there fails the test,
 * and a route added later is still covered by its own declaration.
 */
type Allowed = Role | 'apiKey';
type Rule = 'public' | readonly Allowed[];

const staffAndAll = [...roles] as const;
const known: Record<string, Rule> = {
  'POST /api/auth/login': 'public',
  'GET /api/auth/session': staffAndAll,
  'POST /api/auth/logout': staffAndAll,
  'GET /api/admin/users': ['admin'],
  'POST /api/admin/users': ['admin'],
  'PATCH /api/admin/users/:id': ['admin'],
  'GET /api/trainees': ['admin', 'trainer'],
  'GET /api/admin/sites': ['admin'],
  'POST /api/admin/sites': ['admin'],
  'GET /api/admin/workstations': ['admin'],
  'POST /api/admin/workstations': ['admin'],
  'PATCH /api/admin/workstations/:id': ['admin'],
  'DELETE /api/admin/workstations/:id': ['admin'],
  'GET /api/admin/partners': ['admin'],
  'POST /api/admin/partners': ['admin'],
  'PATCH /api/admin/partners/:id': ['admin'],
  // Trainers create campaigns: id, name and active only (admin.test.ts checks the fields).
  'GET /api/partners': ['admin', 'trainer'],
  'GET /api/partners/:partnerId/api-keys': ['admin', 'partner'],
  'POST /api/partners/:partnerId/api-keys': ['admin', 'partner'],
  'DELETE /api/partners/:partnerId/api-keys/:keyId': ['admin', 'partner'],
  'GET /api/partner/me': ['partner', 'apiKey'],
  'GET /api/admin/audit': ['admin'],
  'GET /api/teams': ['admin', 'trainer'],
  'POST /api/admin/teams': ['admin'],
  'PATCH /api/admin/teams/:id': ['admin'],
  'PUT /api/admin/teams/:id/trainees': ['admin'],
  'DELETE /api/admin/teams/:id': ['admin'],
  'POST /api/admin/audit/verify': ['admin'],
};

const callers = ['anonymous', 'admin', 'trainer', 'trainee', 'partnerA', 'partnerB', 'apiKeyA'] as const;
type Caller = (typeof callers)[number];

function declaredRule(access: RouteAccess): Rule {
  if ('public' in access) return 'public';
  return [...access.roles, ...(access.apiKey && access.roles.includes('partner') ? (['apiKey'] as const) : [])];
}

type Expectation = 'allowed' | 401 | 403 | 404;

function expectation(rule: Rule, caller: Caller, url: string): Expectation {
  if (rule === 'public') return 'allowed';
  if (caller === 'anonymous') return 401;
  const as: Allowed = caller === 'apiKeyA' ? 'apiKey' : caller === 'partnerA' || caller === 'partnerB' ? 'partner' : caller;
  if (!rule.includes(as)) return 403;
  // Paths are filled with partner A's id: partner B must not learn that it exists.
  if (caller === 'partnerB' && url.includes(':partnerId')) return 404;
  return 'allowed';
}

let ctx: TestContext;
let fx: Fixture;
let apiKeyA: string;

beforeAll(async () => {
  ctx = await startTestApp({ LOGIN_RATE_PER_MIN: '100000' });
  fx = await seedFixture(ctx.app);
  apiKeyA = `pk_${randomToken(32)}`;
  await ctx.app.db.insertInto('partnerApiKeys').values({ partnerId: fx.partnerA, name: 'matrix', prefix: apiKeyA.slice(0, 11), keyHash: sha256Hex(apiKeyA), createdBy: null }).execute();
});
afterAll(() => ctx?.close());

/** A fresh session per request, so a route that ends sessions (logout) cannot disturb the next one. */
async function headersFor(caller: Caller): Promise<Record<string, string>> {
  if (caller === 'anonymous') return {};
  if (caller === 'apiKeyA') return { authorization: `Bearer ${apiKeyA}` };
  const token = randomToken();
  const csrf = randomToken(24);
  await ctx.app.db
    .insertInto('sessions')
    .values({ id: sha256Hex(token), userId: fx.users[caller].id, csrfToken: csrf, ip: SEAT_IP, userAgent: 'matrix', lastSeenAt: new Date(), expiresAt: new Date(Date.now() + 3_600_000) })
    .execute();
  return { cookie: `psid=${token}`, 'x-csrf-token': csrf };
}

function concretePath(url: string, partnerId: string): string {
  return url.replace(/:partnerId\b/g, partnerId).replace(/:[A-Za-z0-9_]+/g, () => randomUUID()).replace(/\*/g, 'x');
}

const GUARD_CODES = new Set(['UNAUTHENTICATED', 'INVALID_API_KEY', 'FORBIDDEN', 'CSRF_TOKEN_INVALID']);

async function callRoute(method: string, url: string, caller: Caller, partnerId = fx.partnerA) {
  const withBody = ['POST', 'PUT', 'PATCH'].includes(method);
  const res = await ctx.app.inject({
    method: method as 'GET',
    url: concretePath(url, partnerId),
    headers: await headersFor(caller),
    remoteAddress: SEAT_IP,
    ...(withBody ? { payload: {} } : {}),
  });
  let code: string | undefined;
  try {
    code = res.json()?.error?.code;
  } catch {
    code = undefined;
  }
  return { status: res.statusCode, code, guard: (res.statusCode === 401 || res.statusCode === 403) && GUARD_CODES.has(code ?? '') };
}

describe('authorization matrix', () => {
  it('registers every known route with the access the table expects', () => {
    const registered = new Map(ctx.app.routeAccess.map((r) => [`${r.method} ${r.url}`, r.access]));
    for (const [key, rule] of Object.entries(known)) {
      expect(registered.has(key), `${key} is not registered`).toBe(true);
      expect(declaredRule(registered.get(key)!), key).toEqual(rule === 'public' ? 'public' : [...rule]);
    }
  });

  it('every /api route × every caller gets the expected status', async () => {
    const routes = ctx.app.routeAccess.filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');
    expect(routes.length).toBeGreaterThanOrEqual(Object.keys(known).length);
    const failures: string[] = [];
    for (const route of routes) {
      const rule = known[`${route.method} ${route.url}`] ?? declaredRule(route.access);
      for (const caller of callers) {
        const want = expectation(rule, caller, route.url);
        const got = await callRoute(route.method, route.url, caller);
        const ok =
          want === 'allowed' ? !got.guard : want === 404 ? got.status === 404 : got.status === want && got.guard;
        if (!ok) failures.push(`${route.method} ${route.url} as ${caller}: expected ${want}, got ${got.status} ${got.code ?? ''}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('a partner user or key reaching another partner’s id gets 404, not 403', async () => {
    const scoped = ctx.app.routeAccess.filter((r) => r.url.includes(':partnerId') && r.method !== 'HEAD');
    expect(scoped.length).toBeGreaterThan(0);
    for (const route of scoped) {
      const rule = known[`${route.method} ${route.url}`] ?? declaredRule(route.access);
      if (rule === 'public') continue;
      if (rule.includes('partner')) expect((await callRoute(route.method, route.url, 'partnerA', fx.partnerB)).status, route.url).toBe(404);
      if (rule.includes('apiKey')) expect((await callRoute(route.method, route.url, 'apiKeyA', fx.partnerB)).status, route.url).toBe(404);
    }
  });

  it('the guard reads the key’s state: a revoked key is refused, the restored key accepted', async () => {
    await ctx.app.db.updateTable('partnerApiKeys').set({ revokedAt: new Date() }).where('keyHash', '=', sha256Hex(apiKeyA)).execute();
    expect(await callRoute('GET', '/api/partner/me', 'apiKeyA')).toMatchObject({ status: 401, code: 'INVALID_API_KEY' });
    await ctx.app.db.updateTable('partnerApiKeys').set({ revokedAt: null }).where('keyHash', '=', sha256Hex(apiKeyA)).execute();
    expect((await callRoute('GET', '/api/partner/me', 'apiKeyA')).status).toBe(200);
  });
});

describe('route declarations', () => {
  it('an /api route that declares no access rule cannot be registered', async () => {
    // The guard alone, on a bare Fastify: no connections to leave half-open when boot fails.
    const app = Fastify();
    app.decorate('config', ctx.config);
    app.decorate('db', ctx.app.db);
    app.decorate('audit', ctx.app.audit);
    await app.register(auth);
    const boot = async () => {
      await app.register(async (scope) => {
        scope.get('/api/undeclared', async () => ({ ok: true }));
      });
      await app.ready();
    };
    await expect(boot()).rejects.toThrow(/GET \/api\/undeclared declares no access rule/);
    const declared = Fastify();
    declared.decorate('config', ctx.config);
    declared.decorate('db', ctx.app.db);
    declared.decorate('audit', ctx.app.audit);
    await declared.register(auth);
    declared.get('/api/declared', { config: { access: { roles: ['admin'] } } }, async () => ({ ok: true }));
    await declared.ready();
    await declared.close();
  });
});
