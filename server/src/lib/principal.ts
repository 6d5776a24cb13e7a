import type { Role } from '@passerelle/shared/roles';

/** Who is calling: a logged-in user (cookie session) or a partner's machine (API key). */
export type Principal =
  | {
      kind: 'session';
      sessionId: string;
      csrfToken: string;
      userId: string;
      role: Role;
      displayName: string;
      username: string;
      siteId: string | null;
      partnerId: string | null;
      locale: string;
    }
  | { kind: 'apiKey'; keyId: string; role: 'partner'; partnerId: string; userId: null };

export function actorOf(principal: Principal | null, ip: string) {
  if (!principal) return { userId: null, role: null, partnerId: null, ip };
  return {
    userId: principal.userId,
    role: principal.kind === 'apiKey' ? 'partner_api_key' : principal.role,
    partnerId: principal.partnerId,
    ip,
  };
}
