import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const envFile = path.join(rootDir, '.env');

/** Loads the repository's `.env` if present; variables already in the environment win. */
export function loadDotEnv(file = envFile): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

const generators: Record<string, () => string> = {
  hex32: () => randomBytes(32).toString('hex'),
  secret: () => randomBytes(32).toString('base64url'),
};

/** `.env.example` with each `<random:kind>` placeholder replaced by a fresh random value. */
export function renderEnvFromExample(example: string): string {
  return example.replace(/<random:([a-z0-9]+)>/g, (placeholder, kind: string) => {
    const generate = generators[kind];
    if (!generate) throw new Error(`unknown placeholder ${placeholder} in .env.example`);
    return generate();
  });
}
