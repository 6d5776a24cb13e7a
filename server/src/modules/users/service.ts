import type { Updateable } from 'kysely';
import type { AdminUser, CreateUserBody, UpdateUserBody } from '@passerelle/shared/api/admin';
import type { Role } from '@passerelle/shared/roles';
import type { Db } from '../../db/database.ts';
import { AppError, badRequest, conflict, notFound } from '../../lib/errors.ts';
import { hashPassword, passwordProblem } from '../../lib/passwords.ts';
import type { AuditActor, AuditService } from '../audit/service.ts';
import type { UserFilter, UsersRepository } from './repository.ts';
import type { UsersTable } from './tables.ts';

type UserRecord = NonNullable<Awaited<ReturnType<UsersRepository['findById']>>>;

export function toAdminUser(u: UserRecord): AdminUser {
  return {
    ...u,
    lockedUntil: u.lockedUntil?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505';

export class UsersService {
  constructor(
    private readonly db: Db,
    private readonly repo: UsersRepository,
    private readonly audit: AuditService,
  ) {}

  async list(filter: UserFilter): Promise<AdminUser[]> {
    return (await this.repo.list(filter)).map(toAdminUser);
  }

  listTrainees(siteId: string | undefined) {
    return this.repo.listTrainees(siteId);
  }

  async create(actor: AuditActor, body: CreateUserBody): Promise<AdminUser> {
    const siteId = body.siteId ?? null;
    const partnerId = body.partnerId ?? null;
    await this.checkScope(body.role, siteId, partnerId);
    const passwordHash = await this.checkedHash(body.password);
    try {
      return await this.db.transaction().execute(async (trx) => {
        const user = await this.repo.insert(trx, {
          username: body.username,
          displayName: body.displayName,
          role: body.role,
          passwordHash,
          siteId,
          partnerId,
          locale: body.locale,
          languageSkills: body.languageSkills,
        });
        await this.audit.record(actor, { action: 'user.created', targetType: 'user', targetId: user.id, details: { role: user.role, siteId, partnerId } }, trx);
        return toAdminUser(user);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('USERNAME_TAKEN', 'Cet identifiant est déjà utilisé.');
      throw err;
    }
  }

  /** `lostAccess`: the user lost rights or credentials, and their open sessions are revoked. */
  async update(actor: AuditActor, id: string, body: UpdateUserBody): Promise<{ user: AdminUser; lostAccess: boolean; wasTrainee: boolean }> {
    const current = await this.repo.findById(id);
    if (!current) throw notFound('Utilisateur');
    const role = body.role ?? current.role;
    // Leaving the partner role drops the partner link unless the body sets one (which checkScope refuses).
    const partnerId = body.partnerId !== undefined ? body.partnerId : role === 'partner' ? current.partnerId : null;
    const siteId = body.siteId !== undefined ? body.siteId : current.siteId;
    if (actor.userId === id && (role !== current.role || body.active === false)) {
      throw conflict('SELF_LOCKOUT', 'Vous ne pouvez ni désactiver votre propre compte ni changer votre rôle.');
    }
    await this.checkScope(role, siteId, partnerId, { siteChanged: siteId !== current.siteId, partnerChanged: partnerId !== current.partnerId });

    const changes: Updateable<UsersTable> = {};
    if (body.displayName !== undefined) changes.displayName = body.displayName;
    if (body.locale !== undefined) changes.locale = body.locale;
    if (body.languageSkills !== undefined) changes.languageSkills = body.languageSkills;
    if (body.active !== undefined) changes.active = body.active;
    if (role !== current.role) changes.role = role;
    if (siteId !== current.siteId) changes.siteId = siteId;
    if (partnerId !== current.partnerId) changes.partnerId = partnerId;
    if (body.password !== undefined) {
      changes.passwordHash = await this.checkedHash(body.password);
      // A reset also unlocks the account.
      changes.failedLogins = 0;
      changes.lockedUntil = null;
    }
    const fields = Object.keys(changes).filter((k) => !['passwordHash', 'failedLogins', 'lockedUntil'].includes(k));

    return this.db.transaction().execute(async (trx) => {
      const user = Object.keys(changes).length ? await this.repo.update(trx, id, changes) : current;
      const target = { targetType: 'user', targetId: id };
      if (fields.length) await this.audit.record(actor, { action: 'user.updated', ...target, details: { fields } }, trx);
      if (changes.role) await this.audit.record(actor, { action: 'user.role_changed', ...target, details: { from: current.role, to: role } }, trx);
      if (changes.active !== undefined && changes.active !== current.active) {
        await this.audit.record(actor, { action: changes.active ? 'user.reactivated' : 'user.deactivated', ...target }, trx);
      }
      if (changes.passwordHash) await this.audit.record(actor, { action: 'user.password_reset', ...target }, trx);
      // Whoever loses rights or credentials loses their open sessions at once.
      const lostAccess = Boolean(changes.role || changes.active === false || changes.passwordHash);
      if (lostAccess) {
        const revoked = await this.repo.revokeSessions(trx, id);
        const count = revoked.reduce((n, r) => n + Number(r.numUpdatedRows), 0);
        if (count) await this.audit.record(actor, { action: 'user.sessions_revoked', ...target, details: { count } }, trx);
      }
      return { user: toAdminUser(user), lostAccess, wasTrainee: current.role === 'trainee' };
    });
  }

  private async checkedHash(password: string): Promise<string> {
    const problem = passwordProblem(password);
    if (problem) throw badRequest('WEAK_PASSWORD', problem);
    return hashPassword(password);
  }

  /** Trainees sit at a site; partner users belong to one partner; nobody else has a partner. */
  private async checkScope(role: Role, siteId: string | null, partnerId: string | null, changed = { siteChanged: true, partnerChanged: true }) {
    if (role === 'trainee' && !siteId) throw badRequest('SITE_REQUIRED', 'Un stagiaire doit être rattaché à un site.');
    if (role === 'partner' && !partnerId) throw badRequest('PARTNER_REQUIRED', 'Un utilisateur partenaire doit être rattaché à un partenaire.');
    if (role !== 'partner' && partnerId) throw badRequest('PARTNER_NOT_ALLOWED', 'Seuls les utilisateurs partenaires sont rattachés à un partenaire.');
    if (changed.siteChanged && siteId && !(await this.repo.siteExists(siteId))) throw new AppError(400, 'UNKNOWN_SITE', 'Site inconnu.');
    if (changed.partnerChanged && partnerId && !(await this.repo.partnerExists(partnerId))) {
      throw new AppError(400, 'UNKNOWN_PARTNER', 'Partenaire inconnu.');
    }
  }
}
