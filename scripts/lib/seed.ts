import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config } from '../../server/src/config.ts';
import type { Db } from '../../server/src/db/database.ts';
import type { AuditService } from '../../server/src/modules/audit/service.ts';
import { rootDir } from './env.ts';

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

const seedDir = path.join(rootDir, 'scripts/seed');

/** Runs every seed module in order, then audits the run. Returns the module files run. */
export async function runSeed(ctx: SeedContext): Promise<string[]> {
  if (ctx.config.NODE_ENV === 'production') throw new Error('demo seed refused with NODE_ENV=production');
  const files = readdirSync(seedDir).filter((f) => /^\d+-[\w-]+\.ts$/.test(f)).sort();
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(seedDir, file)).href)) as { default: SeedModule };
    ctx.log(mod.default.name);
    await mod.default.run({ ...ctx, log: (m) => ctx.log(`  ${m}`) });
  }
  await ctx.audit.record({ userId: null, role: 'system' }, { action: 'demo.seeded', details: { modules: files } });
  return files;
}
