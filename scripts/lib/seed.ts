import type { Config } from '../../server/src/config.ts';
import type { Db } from '../../server/src/db/database.ts';
import type { AuditService } from '../../server/src/modules/audit/service.ts';

export interface SeedContext {
  db: Db;
  config: Config;
  audit: AuditService;
  log: (message: string) => void;
}

/**
 * One file in scripts/seed/ named `NN-<topic>.ts` (run in NN order) default-exports a SeedModule.
 * `run` must be idempotent: re-running the seed updates the demo rows, never duplicates them.
 */
export interface SeedModule {
  name: string;
  run(ctx: SeedContext): Promise<void>;
}
