import type { Selectable, Updateable } from 'kysely';
import type { CreateSiteBody, CreateWorkstationBody, Site, UpdateWorkstationBody, Workstation } from '@passerelle/shared/api/admin';
import type { Db } from '../../db/database.ts';
import { AppError, badRequest, conflict, notFound } from '../../lib/errors.ts';
import { cidrProblem } from '../../lib/ip.ts';
import type { AuditActor, AuditService } from '../audit/service.ts';
import type { SitesTable, WorkstationsTable } from '../users/tables.ts';
import type { SitesRepository } from './repository.ts';

const pgCode = (err: unknown) => (err as { code?: string }).code;

const toSite = (s: Selectable<SitesTable>): Site => ({ ...s, createdAt: s.createdAt.toISOString() });
const toWorkstation = (w: Selectable<WorkstationsTable>): Workstation => ({ ...w, createdAt: w.createdAt.toISOString() });

/** Checks every range (see cidrProblem: 10.20.0.0/24, 2001:db8::/64); a bare address becomes /32 or /128. */
function normalizeRanges(ranges: string[]): string[] {
  const out = ranges.map((r) => (r.includes('/') ? r : `${r}/${r.includes(':') ? 128 : 32}`));
  const problems = out.map((r) => [r, cidrProblem(r)] as const).filter(([, problem]) => problem !== null);
  if (problems.length) {
    throw badRequest('INVALID_CIDR', `Plage d’adresses refusée : ${problems.map(([, p]) => p).join(' ')}`, { invalid: problems.map(([r]) => r) });
  }
  return [...new Set(out)];
}

export class SitesService {
  constructor(
    private readonly db: Db,
    private readonly repo: SitesRepository,
    private readonly audit: AuditService,
  ) {}

  async listSites(): Promise<Site[]> {
    return (await this.repo.listSites()).map(toSite);
  }

  async createSite(actor: AuditActor, body: CreateSiteBody): Promise<Site> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const site = await this.repo.insertSite(trx, body);
        await this.audit.record(actor, { action: 'site.created', targetType: 'site', targetId: site.id, details: { name: site.name, timeZone: site.timeZone } }, trx);
        return toSite(site);
      });
    } catch (err) {
      if (pgCode(err) === '23505') throw conflict('SITE_NAME_TAKEN', 'Un site porte déjà ce nom.');
      throw err;
    }
  }

  async listWorkstations(siteId: string | undefined): Promise<Workstation[]> {
    return (await this.repo.listWorkstations(siteId)).map(toWorkstation);
  }

  async createWorkstation(actor: AuditActor, body: CreateWorkstationBody): Promise<Workstation> {
    const ipRanges = normalizeRanges(body.ipRanges);
    if (!(await this.repo.siteExists(body.siteId))) throw new AppError(400, 'UNKNOWN_SITE', 'Site inconnu.');
    return this.guardName(() =>
      this.db.transaction().execute(async (trx) => {
        const ws = await this.repo.insertWorkstation(trx, { siteId: body.siteId, name: body.name, ipRanges });
        await this.audit.record(actor, { action: 'workstation.created', targetType: 'workstation', targetId: ws.id, details: { siteId: ws.siteId, name: ws.name, ipRanges } }, trx);
        return toWorkstation(ws);
      }),
    );
  }

  async updateWorkstation(actor: AuditActor, id: string, body: UpdateWorkstationBody): Promise<Workstation> {
    const changes: Updateable<WorkstationsTable> = { ...body };
    if (body.ipRanges) changes.ipRanges = normalizeRanges(body.ipRanges);
    return this.guardName(() =>
      this.db.transaction().execute(async (trx) => {
        const ws = await this.repo.updateWorkstation(trx, id, changes);
        if (!ws) throw notFound('Poste');
        // Ranges are not personal data: recording them lets an auditor see who opened which seat.
        await this.audit.record(actor, { action: 'workstation.updated', targetType: 'workstation', targetId: id, details: { changes } }, trx);
        return toWorkstation(ws);
      }),
    );
  }

  async deleteWorkstation(actor: AuditActor, id: string): Promise<void> {
    const before = await this.repo.findWorkstation(id);
    if (!before) throw notFound('Poste');
    try {
      await this.db.transaction().execute(async (trx) => {
        if (!(await this.repo.deleteWorkstation(trx, id))) throw notFound('Poste');
        await this.audit.record(
          actor,
          { action: 'workstation.deleted', targetType: 'workstation', targetId: id, details: { siteId: before.siteId, name: before.name, ipRanges: before.ipRanges } },
          trx,
        );
      });
    } catch (err) {
      if (pgCode(err) === '23503') throw conflict('WORKSTATION_IN_USE', 'Ce poste est référencé ailleurs : désactivez-le plutôt.');
      throw err;
    }
  }

  private async guardName<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (pgCode(err) === '23505') throw conflict('WORKSTATION_NAME_TAKEN', 'Un poste porte déjà ce nom sur ce site.');
      throw err;
    }
  }
}
