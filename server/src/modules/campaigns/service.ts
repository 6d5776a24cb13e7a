import {
  legalBasisRequiredFor,
  type CampaignSummary,
  type CreateCampaign,
  type ListCampaigns,
  type UpdateCampaign,
} from '@passerelle/shared/api/campaigns';
import { maskingPolicySchema } from '@passerelle/shared/masking';
import type { Db } from '../../db/database.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import { actorOf, type Principal } from '../../lib/principal.ts';
import { partnerScope } from '../../plugins/auth.ts';
import type { AuditService } from '../audit/service.ts';
import { remaskContacts } from '../contacts/remask.ts';
import type { Vault } from '../vault/vault.ts';
import { CampaignRepository, type CampaignChanges, type CampaignRecord } from './repository.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toCampaignSummary(r: CampaignRecord): CampaignSummary {
  return {
    id: r.id,
    partnerId: r.partnerId,
    name: r.name,
    type: r.type,
    status: r.status,
    defaultRegion: r.defaultRegion,
    // Parsed so policies stored before a new field existed come back with its default.
    maskingPolicy: maskingPolicySchema.parse(r.maskingPolicy),
    retentionDays: r.retentionDays,
    legalBasisRequired: r.legalBasisRequired,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    endedAt: iso(r.endedAt),
    purgedAt: iso(r.purgedAt),
    purgeCounts: r.purgeCounts,
    contactCount: r.contactCount ?? 0,
  };
}

export class CampaignService {
  readonly repo: CampaignRepository;

  constructor(
    private readonly db: Db,
    private readonly vault: Vault,
    private readonly audit: AuditService,
  ) {
    this.repo = new CampaignRepository(db);
  }

  async list(principal: Principal | null, query: ListCampaigns): Promise<CampaignSummary[]> {
    const rows = await this.repo.list({ scope: partnerScope(principal), partnerId: query.partnerId, type: query.type });
    return rows.map(toCampaignSummary);
  }

  /** The campaign if the caller may see it; 404 otherwise (no existence oracle across partners). */
  async get(principal: Principal | null, id: string): Promise<CampaignRecord> {
    const row = await this.repo.get(id, partnerScope(principal));
    if (!row) throw notFound('Campagne');
    return row;
  }

  async create(principal: Principal | null, ip: string, input: CreateCampaign): Promise<CampaignSummary> {
    if (!(await this.repo.partnerExists(input.partnerId))) throw badRequest('PARTNER_NOT_FOUND', 'Partenaire introuvable.');
    const id = await this.db.transaction().execute(async (trx) => {
      const id = await this.repo.insert(trx, {
        partnerId: input.partnerId,
        name: input.name,
        type: input.type,
        defaultRegion: input.defaultRegion,
        maskingPolicy: input.maskingPolicy,
        retentionDays: input.retentionDays,
        legalBasisRequired: legalBasisRequiredFor(input.type),
        createdBy: principal?.userId ?? null,
      });
      await this.audit.record(actorOf(principal, ip), { action: 'campaign.create', targetType: 'campaign', targetId: id, details: { partnerId: input.partnerId, type: input.type } }, trx);
      return id;
    });
    return toCampaignSummary((await this.repo.get(id, null))!);
  }

  async update(principal: Principal | null, ip: string, id: string, body: UpdateCampaign): Promise<CampaignSummary> {
    await this.get(principal, id);
    await this.db.transaction().execute(async (trx) => {
      const current = await this.repo.lock(trx, id);
      if (!current) throw notFound('Campagne');
      if (current.purgedAt) throw conflict('CAMPAIGN_PURGED', 'Cette campagne a été purgée ; elle ne peut plus être modifiée.');
      const changes: CampaignChanges = { ...body };
      if (body.type && body.type !== current.type) {
        const hasContacts = await trx.selectFrom('contacts').select('id').where('campaignId', '=', id).limit(1).executeTakeFirst();
        if (hasContacts) throw conflict('CAMPAIGN_HAS_CONTACTS', 'Le type ne peut plus changer : la campagne contient déjà des contacts.');
        changes.legalBasisRequired = legalBasisRequiredFor(body.type);
      }
      await this.repo.update(trx, id, changes);
      const remasked = changes.maskingPolicy ? await remaskContacts(trx, this.vault, id, changes.maskingPolicy) : 0;
      await this.audit.record(
        actorOf(principal, ip),
        { action: 'campaign.update', targetType: 'campaign', targetId: id, details: { fields: Object.keys(body), remasked } },
        trx,
      );
    });
    return toCampaignSummary((await this.repo.get(id, null))!);
  }
}
