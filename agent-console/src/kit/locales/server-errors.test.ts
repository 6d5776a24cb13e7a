import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { serverErrorsEn } from './server-errors.en.ts';
import { commonEn } from './en.ts';

const serverSrc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../server/src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Error codes the server throws: `new AppError(4xx, 'CODE'`, `conflict('CODE'`, `badRequest('CODE'`, and the shared handler's. */
function serverCodes(): Set<string> {
  const codes = new Set<string>();
  const call = /(?:AppError\(\s*\d+,\s*|(?:conflict|badRequest|forbidden|unauthorized)\(\s*)'([A-Z][A-Z_]+)'/g;
  for (const file of sources(serverSrc)) {
    for (const m of readFileSync(file, 'utf8').matchAll(call)) codes.add(m[1]!);
  }
  return codes;
}

describe('server errors in English', () => {
  it('every code the server throws has an English text (the server writes French)', () => {
    const codes = serverCodes();
    expect(codes.size).toBeGreaterThan(60);
    const english = { ...serverErrorsEn, ...commonEn.errors };
    expect([...codes].filter((c) => !(c in english)).sort()).toEqual([]);
  });
});
