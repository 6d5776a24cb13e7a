import type { ApiKeySummary, CreatePartnerBody, CreateApiKeyReply, Partner, UpdatePartnerBody } from '@passerelle/shared/api/admin';
import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { randomToken, sha256Hex } from '../../lib/tokens.ts';
import type { AuditActor, AuditService } from '../audit/service.ts';
import type { PartnersTable } from '../users/tables.ts';
import type { PartnersRepository } from './repository.ts';

type KeyRecord = NonNullable<Awaited<ReturnType<PartnersRepository['findKey']>>>;

const toPartner = (p: Selectable<PartnersTable>): Partner => ({ ...p, createdAt: p.createdAt.toISOString() });
const toKey = (k: KeyRecord): ApiKeySummary => ({
  ...k,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
});

/** `pk_` + 256 random bits; the prefix shown in lists is the first 8 characters after `pk_`. */
const KEY_PREFIX_CHARS = 11;

export class PartnersService {
  constructor(
    private readonly db: Db,
    private readonly repo: PartnersRepository,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<Partner[]> {
    return (await this.repo.list()).map(toPartner);
  }

  async get(id: string): Promise<Partner> {
    const p = await this.repo.findById(id);
    if (!p) throw notFound('Partenaire');
    return toPartner(p);
  }

  async create(actor: AuditActor, body: CreatePartnerBody): Promise<Partner> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const p = await this.repo.insert(trx, body.name);
        await this.audit.record(actor, { action: 'partner.created', targetType: 'partner', targetId: p.id, details: { name: p.name } }, trx);
        return toPartner(p);
      });
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw conflict('PARTNER_NAME_TAKEN', 'Un partenaire porte déjà ce nom.');
      throw err;
    }
  }

  async update(actor: AuditActor, id: string, body: UpdatePartnerBody): Promise<Partner> {
    const before = await this.repo.findById(id);
    if (!before) throw notFound('Partenaire');
    try {
      return await this.db.transaction().execute(async (trx) => {
        const p = (await this.repo.update(trx, id, body))!;
        await this.audit.record(actor, { action: 'partner.updated', targetType: 'partner', targetId: id, details: { changes: body } }, trx);
        if (before.active && body.active === false) {
          // Its API keys stop resolving (the guard checks partners.active); its users are logged out.
          const sessions = await this.repo.revokeUserSessions(trx, id);
          await this.audit.record(actor, { action: 'partner.deactivated', targetType: 'partner', targetId: id, details: { sessionsRevoked: sessions } }, trx);
        }
        return toPartner(p);
      });
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw conflict('PARTNER_NAME_TAKEN', 'Un partenaire porte déjà ce nom.');
      throw err;
    }
  }

  async listKeys(partnerId: string): Promise<ApiKeySummary[]> {
    await this.get(partnerId);
    return (await this.repo.listKeys(partnerId)).map(toKey);
  }

  async createKey(actor: AuditActor, partnerId: string, name: string): Promise<CreateApiKeyReply> {
    await this.get(partnerId);
    const key = `pk_${randomToken(32)}`;
    return this.db.transaction().execute(async (trx) => {
      const row = await this.repo.insertKey(trx, { partnerId, name, prefix: key.slice(0, KEY_PREFIX_CHARS), keyHash: sha256Hex(key), createdBy: actor.userId });
      await this.audit.record(actor, { action: 'api_key.created', targetType: 'api_key', targetId: row.id, details: { partnerId, name, prefix: row.prefix } }, trx);
      return { apiKey: toKey(row), key };
    });
  }

  /** Idempotent: revoking an already revoked key changes nothing and writes no audit row. */
  async revokeKey(actor: AuditActor, partnerId: string, keyId: string): Promise<void> {
    const existing = await this.repo.findKey(partnerId, keyId);
    if (!existing) throw notFound('Clé d’API');
    await this.db.transaction().execute(async (trx) => {
      if (!(await this.repo.revokeKey(trx, partnerId, keyId))) return;
      await this.audit.record(actor, { action: 'api_key.revoked', targetType: 'api_key', targetId: keyId, details: { partnerId, prefix: existing.prefix } }, trx);
    });
  }
}
