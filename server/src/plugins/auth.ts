import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import type { Role } from '@passerelle/shared/roles';
import { AppError, forbidden, unauthorized } from '../lib/errors.ts';
import type { Principal } from '../lib/principal.ts';
import { safeEqual } from '../lib/tokens.ts';
import { AuthRepository } from '../modules/auth/repository.ts';
import { AuthService } from '../modules/auth/service.ts';

export const SESSION_COOKIE = 'psid';
export const CSRF_HEADER = 'x-csrf-token';

/** What a route declares about who may call it. Every /api route must declare one. */
export type RouteAccess = { public: true } | { roles: readonly Role[]; apiKey?: boolean };

/** One registered /api route and its declared access (read by the authorization-matrix test). */
export interface RouteAccessEntry {
  method: string;
  url: string;
  access: RouteAccess;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    auth: AuthService;
    /** Every /api route with its declared access, filled as routes are registered. */
    routeAccess: RouteAccessEntry[];
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Identity and the central guard: resolves the caller (session cookie or partner API key),
 * then enforces the route's declared roles and CSRF. Routes never check roles themselves.
 */
export default fp(async (app) => {
  await app.register(cookie);
  const auth = new AuthService(new AuthRepository(app.db), app.audit, app.config);
  app.decorate('auth', auth);
  app.decorateRequest('principal', null);
  const registry: RouteAccessEntry[] = [];
  app.decorate('routeAccess', registry);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const access = route.config?.access;
    if (!access) throw new Error(`route ${route.method} ${route.url} declares no access rule`);
    for (const method of [route.method].flat()) registry.push({ method, url: route.url, access });
  });

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config?.access;
    if (!access) return; // non-API routes (health, static files, docs)
    const bearer = request.headers.authorization?.match(/^Bearer\s+(pk_[A-Za-z0-9_-]{20,200})$/)?.[1];
    const token = request.cookies[SESSION_COOKIE];
    if (bearer) request.principal = await auth.resolveApiKey(bearer, request.ip, request.method, request.url);
    else if (token && token.length < 200) request.principal = await auth.resolveSession(token, request.ip);

    if ('public' in access) return;
    const principal = request.principal;
    if (!principal) {
      if (bearer) throw new AppError(401, 'INVALID_API_KEY', 'Clé d’API invalide ou révoquée.');
      throw unauthorized();
    }
    if (principal.kind === 'apiKey' && !access.apiKey) throw forbidden('Cette opération n’est pas disponible avec une clé d’API.');
    if (!access.roles.includes(principal.role)) throw forbidden();
    if (principal.kind === 'session' && UNSAFE.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !safeEqual(sent, principal.csrfToken)) {
        throw new AppError(403, 'CSRF_TOKEN_INVALID', 'Jeton CSRF manquant ou invalide. Rechargez la page.');
      }
    }
  });
});

/** The partner whose data this caller may see; null for establishment staff (all partners). */
export function partnerScope(principal: Principal | null): string | null {
  if (!principal) throw unauthorized();
  if (principal.role === 'partner') return principal.partnerId;
  return null;
}

/** Throws 404 (not 403: no existence oracle) when a partner caller touches another partner's data. */
export function assertPartnerAccess(principal: Principal | null, partnerId: string, what = 'Ressource'): void {
  const scope = partnerScope(principal);
  if (scope !== null && scope !== partnerId) throw new AppError(404, 'NOT_FOUND', `${what} introuvable.`);
}
