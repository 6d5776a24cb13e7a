import type { Config } from '../../config.ts';
import { AppError } from '../../lib/errors.ts';
import { ipInRanges } from '../../lib/ip.ts';
import { decoyHash, verifyPassword } from '../../lib/passwords.ts';
import type { Principal } from '../../lib/principal.ts';
import { randomToken, sha256Hex } from '../../lib/tokens.ts';
import type { AuditService } from '../audit/service.ts';
import type { AuthRepository } from './repository.ts';

/** Below this age a session's last-seen time is not rewritten (saves a write per request). */
const TOUCH_EVERY_MS = 30_000;

const invalidCredentials = () => new AppError(401, 'INVALID_CREDENTIALS', 'Identifiant ou mot de passe incorrect.');

export interface LoginInput {
  username: string;
  password: string;
  ip: string;
  userAgent: string;
}

type SessionPrincipal = Extract<Principal, { kind: 'session' }>;
export type LogoutHook = (principal: SessionPrincipal) => Promise<void>;

export class AuthService {
  private readonly logoutHooks: LogoutHook[] = [];

  constructor(
    private readonly repo: AuthRepository,
    private readonly audit: AuditService,
    private readonly config: Config,
  ) {}

  idleTimeoutMs(role: string): number {
    const minutes = role === 'trainee' ? this.config.TRAINEE_IDLE_TIMEOUT_MIN : this.config.STAFF_IDLE_TIMEOUT_MIN;
    return minutes * 60_000;
  }

  async login(input: LoginInput) {
    const user = await this.repo.findUserByUsername(input.username);
    const actor = { userId: user?.id ?? null, role: user?.role ?? null, partnerId: user?.partnerId ?? null, ip: input.ip };
    if (!user) {
      await verifyPassword(await decoyHash(), input.password);
      await this.audit.record(actor, { action: 'auth.login_failed', details: { reason: 'unknown_user', username: input.username.slice(0, 64) } });
      throw invalidCredentials();
    }
    if (user.lockedUntil && user.lockedUntil > new Date()) {
      await this.audit.record(actor, { action: 'auth.login_failed', targetType: 'user', targetId: user.id, details: { reason: 'locked' } });
      throw new AppError(423, 'ACCOUNT_LOCKED', 'Compte temporairement verrouillé après plusieurs échecs. Réessayez plus tard.');
    }
    if (!(await verifyPassword(user.passwordHash, input.password)) || !user.active) {
      const after = await this.repo.recordFailure(user.id, this.config.LOGIN_MAX_FAILURES, this.config.LOGIN_LOCKOUT_MIN);
      const locked = after.lockedUntil !== null && after.lockedUntil > new Date();
      await this.audit.record(actor, {
        action: locked ? 'auth.locked_out' : 'auth.login_failed',
        targetType: 'user',
        targetId: user.id,
        details: { reason: user.active ? 'bad_password' : 'inactive', failures: after.failedLogins },
      });
      throw invalidCredentials();
    }
    if (user.role === 'trainee') {
      const ranges = user.siteId ? await this.repo.siteWorkstationRanges(user.siteId) : [];
      if (!ipInRanges(input.ip, ranges)) {
        await this.audit.record(actor, { action: 'auth.login_refused_location', targetType: 'user', targetId: user.id, details: { ip: input.ip } });
        throw new AppError(403, 'WORKSTATION_REQUIRED', 'Connexion autorisée uniquement depuis un poste de la salle.');
      }
    }
    await this.repo.resetFailures(user.id);
    const token = randomToken();
    const csrfToken = randomToken(24);
    const expiresAt = new Date(Date.now() + this.config.SESSION_ABSOLUTE_HOURS * 3_600_000);
    await this.repo.insertSession({ id: sha256Hex(token), userId: user.id, csrfToken, ip: input.ip, userAgent: input.userAgent.slice(0, 300), expiresAt });
    await this.audit.record(actor, { action: 'auth.login', targetType: 'user', targetId: user.id });
    return { token, csrfToken, expiresAt, user };
  }

  /**
   * The principal behind a session cookie, or null when the session is unknown, revoked or expired.
   * `touch: false` checks without counting as activity (socket re-checks: a console's heartbeat
   * must not keep an abandoned seat's session alive past the idle timeout).
   */
  async resolveSession(token: string, ip: string, { touch = true }: { touch?: boolean } = {}): Promise<Principal | null> {
    const id = sha256Hex(token);
    const row = await this.repo.findActiveSession(id);
    if (!row || !row.active) return null;
    const now = Date.now();
    const idle = now - row.lastSeenAt.getTime() > this.idleTimeoutMs(row.role);
    // A trainee session is bound to the seat it was opened from.
    const moved = row.role === 'trainee' && row.ip !== ip;
    if (idle || row.expiresAt.getTime() <= now || moved) {
      await this.repo.revokeSession(id);
      await this.audit.record(
        { userId: row.userId, role: row.role, partnerId: row.partnerId, ip },
        { action: 'auth.session_expired', targetType: 'user', targetId: row.userId, details: { reason: moved ? 'ip_changed' : idle ? 'idle' : 'absolute' } },
      );
      return null;
    }
    if (touch && now - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) await this.repo.touchSession(id);
    return {
      kind: 'session',
      sessionId: id,
      csrfToken: row.csrfToken,
      userId: row.userId,
      role: row.role,
      username: row.username,
      displayName: row.displayName,
      siteId: row.siteId,
      partnerId: row.partnerId,
      locale: row.locale,
    };
  }

  /** Lets other modules react to a logout (the dialer takes the trainee offline) without auth knowing them. */
  onLogout(hook: LogoutHook) {
    this.logoutHooks.push(hook);
  }

  /** Ends the session, then runs the logout hooks; returns their failures (the logout itself stands). */
  async logout(principal: SessionPrincipal, ip: string): Promise<unknown[]> {
    await this.repo.revokeSession(principal.sessionId);
    await this.audit.record(
      { userId: principal.userId, role: principal.role, partnerId: principal.partnerId, ip },
      { action: 'auth.logout', targetType: 'user', targetId: principal.userId },
    );
    const results = await Promise.allSettled(this.logoutHooks.map((hook) => hook(principal)));
    return results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
  }

  /** A partner API key (`pk_…`) → principal; use is audited at most hourly per key for reads. */
  async resolveApiKey(key: string, ip: string, method: string, url: string): Promise<Principal | null> {
    const row = await this.repo.findApiKeyByHash(sha256Hex(key));
    if (!row || row.revokedAt || !row.active) return null;
    const stale = !row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 3_600_000;
    if (method !== 'GET' || stale) {
      await this.repo.touchApiKey(row.id);
      await this.audit.record(
        { userId: null, role: 'partner_api_key', partnerId: row.partnerId, ip },
        { action: 'api_key.used', targetType: 'api_key', targetId: row.id, details: { method, url: url.split('?')[0] } },
      );
    }
    return { kind: 'apiKey', keyId: row.id, role: 'partner', partnerId: row.partnerId, userId: null };
  }
}
