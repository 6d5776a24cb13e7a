import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { ScorecardGrid } from '@passerelle/shared/scoring';
import { scorecardGridSchema } from '@passerelle/shared/scoring-schema';
import type { Db } from '../../db/database.ts';
import { notFound } from '../../lib/errors.ts';
import type { ScorecardRow } from './tables.ts';

export interface Scorecard extends Omit<ScorecardRow, 'grid'> {
  grid: ScorecardGrid;
  latest: boolean;
}

const latestFlag = sql<boolean>`version = (select max(s2.version) from scorecards s2 where s2.family_id = scorecards.family_id)`;

/** Versioned grids: a version is never edited; copying makes a new version or a new grid. */
export class Scorecards {
  constructor(private readonly db: Db) {}

  private parse = (row: ScorecardRow & { latest: boolean }): Scorecard => ({ ...row, grid: scorecardGridSchema.parse(row.grid) });

  async list(all: boolean): Promise<Scorecard[]> {
    let q = this.db.selectFrom('scorecards').selectAll().select(latestFlag.as('latest'));
    if (!all) q = q.where(latestFlag);
    const rows = await q.orderBy('isDefault', 'desc').orderBy('name').orderBy('version', 'desc').execute();
    return rows.map(this.parse);
  }

  async get(id: string): Promise<Scorecard> {
    const row = await this.db.selectFrom('scorecards').selectAll().select(latestFlag.as('latest')).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Grille');
    return this.parse(row);
  }

  /** The default grid's newest version (used when a caller names none). */
  async defaultLatest(): Promise<Scorecard> {
    const row = await this.db
      .selectFrom('scorecards')
      .selectAll()
      .select(sql<boolean>`true`.as('latest'))
      .where('familyId', '=', this.db.selectFrom('scorecards').select('familyId').where('isDefault', '=', true))
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) throw notFound('Grille par défaut');
    return this.parse(row);
  }

  async create(input: { name: string; description: string; grid: ScorecardGrid; createdBy: string; basedOn?: Scorecard; sameFamily?: boolean }): Promise<Scorecard> {
    const familyId = input.basedOn && input.sameFamily ? input.basedOn.familyId : randomUUID();
    const id = await this.db.transaction().execute(async (trx) => {
      // Serializes version numbering within a family.
      await sql`select pg_advisory_xact_lock(hashtext(${familyId}))`.execute(trx);
      const last = await trx.selectFrom('scorecards').select((eb) => eb.fn.max('version').as('v')).where('familyId', '=', familyId).executeTakeFirst();
      const row = await trx
        .insertInto('scorecards')
        .values({
          familyId,
          version: (last?.v ?? 0) + 1,
          name: input.name,
          description: input.description,
          grid: JSON.stringify(input.grid),
          basedOnId: input.basedOn?.id ?? null,
          createdBy: input.createdBy,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    });
    return this.get(id);
  }
}
