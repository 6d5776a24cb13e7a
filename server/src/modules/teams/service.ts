import { sql } from 'kysely';
import type { CreateTeamBody, Team } from '@passerelle/shared/api/admin';
import type { Db } from '../../db/database.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import type { AuditActor, AuditService } from '../audit/service.ts';

const pgCode = (err: unknown) => (err as { code?: string }).code;
const nameTaken = () => conflict('TEAM_NAME_TAKEN', 'Ce site a déjà un groupe de ce nom.');

/** Training groups with their trainees, by name (a site's only when given). */
export async function listTeams(db: Db, siteId?: string): Promise<Team[]> {
  const rows = await sql<Team>`
    select t.id, t.site_id, t.name,
      coalesce(array_agg(u.id order by u.display_name) filter (where u.id is not null), '{}') as trainee_ids
    from teams t left join users u on u.team_id = t.id and u.role = 'trainee'
    ${siteId ? sql`where t.site_id = ${siteId}::uuid` : sql``}
    group by t.id order by t.name`.execute(db);
  return rows.rows;
}

/** Groupes de formation: admins create, rename, delete them and set their trainees; every change audited. */
export class TeamsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  private async get(id: string): Promise<Team> {
    const team = (await listTeams(this.db)).find((t) => t.id === id);
    if (!team) throw notFound('Groupe');
    return team;
  }

  async create(actor: AuditActor, body: CreateTeamBody): Promise<Team> {
    const site = await this.db.selectFrom('sites').select('id').where('id', '=', body.siteId).executeTakeFirst();
    if (!site) throw badRequest('UNKNOWN_SITE', 'Site inconnu.');
    try {
      const id = await this.db.transaction().execute(async (trx) => {
        const row = await trx.insertInto('teams').values({ siteId: body.siteId, name: body.name }).returning('id').executeTakeFirstOrThrow();
        await this.audit.record(actor, { action: 'team.created', targetType: 'team', targetId: row.id, details: { siteId: body.siteId, name: body.name } }, trx);
        return row.id;
      });
      return await this.get(id);
    } catch (err) {
      if (pgCode(err) === '23505') throw nameTaken();
      throw err;
    }
  }

  async rename(actor: AuditActor, id: string, name: string): Promise<Team> {
    const before = await this.get(id);
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx.updateTable('teams').set({ name }).where('id', '=', id).execute();
        await this.audit.record(actor, { action: 'team.renamed', targetType: 'team', targetId: id, details: { from: before.name, to: name } }, trx);
      });
    } catch (err) {
      if (pgCode(err) === '23505') throw nameTaken();
      throw err;
    }
    return this.get(id);
  }

  /** Its trainees stay, without a group. */
  async remove(actor: AuditActor, id: string): Promise<void> {
    const before = await this.get(id);
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('teams').where('id', '=', id).execute();
      await this.audit.record(actor, { action: 'team.deleted', targetType: 'team', targetId: id, details: { name: before.name, trainees: before.traineeIds.length } }, trx);
    });
  }

  /** The group's whole membership: trainees of its site only. */
  async setMembers(actor: AuditActor, id: string, traineeIds: string[]): Promise<Team> {
    const team = await this.get(id);
    const wanted = [...new Set(traineeIds)];
    if (wanted.length) {
      const ok = await this.db.selectFrom('users').select('id').where('id', 'in', wanted).where('role', '=', 'trainee').where('siteId', '=', team.siteId).execute();
      if (ok.length !== wanted.length) throw badRequest('NOT_SITE_TRAINEES', 'Seuls des conseillers du site du groupe peuvent y être affectés.');
    }
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ teamId: null }).where('teamId', '=', id).execute();
      if (wanted.length) await trx.updateTable('users').set({ teamId: id }).where('id', 'in', wanted).execute();
      const removed = team.traineeIds.filter((u) => !wanted.includes(u));
      const added = wanted.filter((u) => !team.traineeIds.includes(u));
      await this.audit.record(actor, { action: 'team.members_set', targetType: 'team', targetId: id, details: { added, removed } }, trx);
    });
    return this.get(id);
  }
}
