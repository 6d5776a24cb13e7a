/** Agent console budget: initial JavaScript (gzip) and time to interactive in Chromium from a cold cache. */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchBrowser } from '../e2e/harness/browser.ts';
import { repoRoot, startServer } from '../e2e/harness/server.ts';

const RUNS = Number(process.env.BENCH_AGENT_RUNS ?? 5);
const log = (msg: string) => process.stderr.write(`[bench agent-console] ${msg}\n`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The scripts index.html loads up front (entry and modulepreloads), as gzip bytes. */
function initialJsGzip(dist: string): { files: string[]; bytes: number } {
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\/agent\/([^"]+\.js)"/g)].map((m) => m[1]!);
  const bytes = files.reduce((sum, f) => sum + gzipSync(readFileSync(path.join(dist, f))).length, 0);
  return { files, bytes };
}

const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
const template = `passerelle_tpl_${Date.now()}_${randomBytes(3).toString('hex')}`;
process.env.TEST_PG_TEMPLATE = template;

log('production build');
execFileSync(path.join(repoRoot, 'node_modules/.bin/vite'), ['build', '--logLevel', 'error'], { cwd: path.join(repoRoot, 'agent-console'), stdio: 'inherit' });
const js = initialJsGzip(path.join(repoRoot, 'agent-console/dist'));
log(`initial scripts: ${js.files.join(', ')} — ${(js.bytes / 1024).toFixed(1)} kB gzip`);

execFileSync(tsx, [path.join(repoRoot, 'scripts/test-db.ts'), 'create', template], { stdio: ['ignore', 'ignore', 'inherit'] });
const server = await startServer();
const timings: number[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    // A fresh profile each time: nothing cached.
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${server.url}/agent/`, { waitUntil: 'commit' });
      const button = page.getByRole('button', { name: 'Se connecter' });
      await button.waitFor();
      await page.getByLabel('Identifiant').waitFor();
      // Milliseconds since the navigation started, when the login form can be used.
      const ms = (await page.evaluate('performance.now()')) as number;
      timings.push(ms);
      log(`run ${i + 1}: interactive after ${ms.toFixed(0)} ms`);
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.close();
  execFileSync(tsx, [path.join(repoRoot, 'scripts/test-db.ts'), 'drop', template], { stdio: ['ignore', 'ignore', 'inherit'] });
}

console.log(JSON.stringify({ bench: 'agent-console', initial_js_gzip_kb: Math.round((js.bytes / 1024) * 10) / 10, interactive_ms: Math.round(median(timings)) }));
