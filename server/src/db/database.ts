import pg from 'pg';
import { Kysely, PostgresDialect, CamelCasePlugin } from 'kysely';
import { PreparingClient } from './prepared.ts';
import type { IdentityTables } from '../modules/users/tables.ts';
import type { AuditTables } from '../modules/audit/tables.ts';
import type { CampaignTables } from '../modules/campaigns/tables.ts';
import type { ContactTables } from '../modules/contacts/tables.ts';
import type { BlocklistTables } from '../modules/blocklists/tables.ts';
import type { DialerTables } from '../modules/dialer/tables.ts';
import type { TelephonyTables } from '../modules/telephony/tables.ts';
import type { ImportTables } from '../modules/imports/tables.ts';
import type { AssessmentTables } from '../modules/assessment/tables.ts';
import type { VaultTables } from '../modules/vault/tables.ts';
import type { SupervisionTables } from '../modules/supervision-media/tables.ts';

/** Every table the server reads, composed from the tables each module declares. */
export interface Database extends IdentityTables, AuditTables, CampaignTables, ContactTables, BlocklistTables, DialerTables, ImportTables, TelephonyTables, AssessmentTables, VaultTables, SupervisionTables {}

// int8 (counts, bigserial ids) as JS numbers: our values stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
// cidr[] like text[] (workstation ranges).
const parseTextArray = pg.types.getTypeParser(1009 as Parameters<typeof pg.types.getTypeParser>[0], 'text') as (v: string) => string[];
pg.types.setTypeParser(651 as Parameters<typeof pg.types.getTypeParser>[0], parseTextArray);
// numeric as number (scores, rates).
pg.types.setTypeParser(1700, (v) => Number(v));

export type Db = Kysely<Database>;

export function createDb(
  databaseUrl: string,
  options: { max?: number; applicationName?: string; onIdleError?: (err: Error) => void } = {},
): Db {
  const pool = new pg.Pool({
    Client: PreparingClient,
    connectionString: databaseUrl,
    max: options.max ?? 10,
    // A new backend is cold (connection, catalog caches, every prepared statement parsed again:
    // 20–50 ms on its first queries here), so connections a burst opened are kept for the next
    // one rather than closed after pg's default 10 s of idleness.
    idleTimeoutMillis: 10 * 60_000,
    // …without keeping a finished script alive for them.
    allowExitOnIdle: true,
    application_name: options.applicationName ?? 'passerelle',
  });
  // An idle connection killed by the server (restart, failover, admin) must not crash the
  // process: the pool drops it and the next query opens a new one.
  pool.on('error', options.onIdleError ?? ((err) => console.error(`postgres idle connection lost: ${err.message}`)));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true })] });
}
