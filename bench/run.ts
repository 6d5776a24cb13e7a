/**
 * `npm run bench -- <name> [args...]` runs bench/<name>.ts in its own process; `npm run bench`
 * lists the benchmarks. Each benchmark prints, as its last line, one JSON object with
 * "bench": "<name>"; that line is also saved to bench/results/<name>-<time>.json for comparison.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const [name, ...args] = process.argv.slice(2);

function available(): { name: string; summary: string }[] {
  return readdirSync(benchDir)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .map((f) => {
      const firstComment = /\/\*\*?\s*\n?\s*\*?\s*(.+)/.exec(readFileSync(path.join(benchDir, f), 'utf8'))?.[1] ?? '';
      return { name: f.slice(0, -3), summary: firstComment.replace(/\*\/\s*$/, '').trim() };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

if (!name) {
  const benches = available();
  console.log('usage: npm run bench -- <name> [args...]\n');
  console.log(benches.length ? benches.map((b) => `  ${b.name.padEnd(16)} ${b.summary}`).join('\n') : '  (aucun benchmark)');
  process.exit(0);
}

const file = path.join(benchDir, `${name}.ts`);
if (!/^[\w-]+$/.test(name) || name === 'run' || !existsSync(file)) {
  console.error(`benchmark inconnu « ${name} » ; disponibles : ${available().map((b) => b.name).join(', ') || 'aucun'}`);
  process.exit(64);
}

const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { stdio: ['inherit', 'pipe', 'inherit'] });
let tail = '';
child.stdout.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString('utf8')).slice(-64 * 1024);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));

child.on('exit', (code, signal) => {
  const last = tail.trimEnd().split('\n').pop() ?? '';
  let result: unknown;
  try {
    result = JSON.parse(last);
  } catch {
    result = undefined;
  }
  if (code === 0 && (typeof result !== 'object' || result === null || (result as { bench?: unknown }).bench !== name)) {
    console.error(`[bench] la dernière ligne de ${name} n'est pas un objet JSON avec "bench":"${name}"`);
    process.exit(1);
  }
  if (code === 0) {
    const dir = path.join(benchDir, 'results');
    mkdirSync(dir, { recursive: true });
    const out = path.join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(out, `${last}\n`);
    console.error(`[bench] résultat enregistré : ${path.relative(process.cwd(), out)}`);
  }
  process.exit(code ?? (signal ? 1 : 0));
});
