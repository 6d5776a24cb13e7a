import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root (where the consoles' builds live), found upwards from `moduleUrl`: the same
 * answer from the TypeScript sources and from the production bundle in server/dist/.
 */
export function repoRoot(moduleUrl: string): string {
  let dir = path.dirname(fileURLToPath(moduleUrl));
  while (!existsSync(path.join(dir, 'server', 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no repository root above ${moduleUrl}`);
    dir = parent;
  }
  return dir;
}
