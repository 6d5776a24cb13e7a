/** Live floor: 200 trainees changing state through the real server; events/s applied, main-thread time, heap growth. */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import path from 'node:path';
import type { AckResult } from '@passerelle/shared/events';
import { launchBrowser } from '../e2e/harness/browser.ts';
import { repoRoot, startServer } from '../e2e/harness/server.ts';
import { addTrainees, ask, connectAs, type AgentClient } from '../server/test/dialer-fixtures.ts';
import { login, PASSWORD } from '../server/test/fixtures.ts';

const TRAINEES = Number(process.env.FLOOR_TRAINEES ?? 200);
/** Soak length in seconds: the issue asks for the heap after 10 minutes (FLOOR_SOAK_S shortens it). */
const SOAK_S = Number(process.env.FLOOR_SOAK_S ?? 600);
/** Each trainee flips Ready ⇄ Pause every this many seconds (± 50 %). */
const PERIOD_S = Number(process.env.FLOOR_PERIOD_S ?? 3);
const log = (msg: string) => process.stderr.write(`[bench floor] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
const template = `passerelle_tpl_${Date.now()}_${randomBytes(3).toString('hex')}`;
process.env.TEST_PG_TEMPLATE = template;

log('production build of the supervisor console');
execFileSync(path.join(repoRoot, 'node_modules/.bin/vite'), ['build', '--logLevel', 'error'], { cwd: path.join(repoRoot, 'supervisor-console'), stdio: 'inherit' });
execFileSync(tsx, [path.join(repoRoot, 'scripts/test-db.ts'), 'create', template], { stdio: ['ignore', 'ignore', 'inherit'] });

const server = await startServer({ env: { LOGIN_RATE_PER_MIN: '100000' } });
const fx = server.fixture!;
const agents: AgentClient[] = [];
let stop = false;
let wake: () => void = () => undefined;
const stopped = new Promise<void>((r) => (wake = r));
/** A driver's sleep, cut short when the soak ends. */
const nap = (ms: number) => Promise.race([sleep(ms), stopped]);
let sent = 0;
let result: Record<string, unknown> | null = null;
try {
  log(`${TRAINEES} trainees sign in and open their console socket`);
  const trainees = await addTrainees(server.app, fx, TRAINEES, 'floor');
  for (const t of trainees) {
    const { cookie } = await login(server.app, t.username, '127.0.0.1');
    const socket = connectAs<AgentClient>(server.url, '/agent', cookie);
    agents.push(socket);
  }
  await Promise.all(agents.map((s) => new Promise<void>((r) => (s.connected ? r() : s.once('connect', () => r())))));

  const browser = await launchBrowser({ viewport: { width: 1600, height: 1000 } });
  try {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/supervisor/`);
    await page.getByLabel('Identifiant').fill(fx.users.trainer.username);
    await page.getByLabel('Mot de passe').fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL('**/supervisor/plateau');
    await page.locator('tr[data-user-id]').nth(TRAINEES - 1).waitFor();
    log('floor shows every trainee; state changes start');

    // Every trainee flips between Ready and Pause on its own jittered period: real socket events
    // into the dialer, whose state changes reach the floor through the /supervisor namespace.
    const drivers = agents.map(async (socket, i) => {
      let ready = false;
      await nap(Math.random() * PERIOD_S * 1000);
      while (!stop) {
        ready = !ready;
        const r = await ask<AckResult>((ack) => (ready ? socket.emit('ready', ack) : socket.emit('pause', { reason: 'pause' }, ack))).catch(() => null);
        if (r?.ok) sent++;
        else if (r) log(`trainee ${i}: ${r.code}`);
        await nap(PERIOD_S * 1000 * (0.5 + Math.random()));
      }
    });

    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = async () => Object.fromEntries(((await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }).metrics.map((m) => [m.name, m.value]));
    const applied = async () => Number(await page.locator('.floor-page').getAttribute('data-events-applied'));
    // Every heap sample is taken the same way, while the floor is busy: two forced full GCs
    // (the second collects what the first only finalized), then the used size.
    await cdp.send('HeapProfiler.enable');
    const heapAfterGc = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      await sleep(200);
      await cdp.send('HeapProfiler.collectGarbage');
      return (await metrics()).JSHeapUsedSize!;
    };
    const heaps: number[] = [];

    await sleep(10_000); // warm-up
    heaps.push(await heapAfterGc());
    const m0 = await metrics();
    const a0 = await applied();
    const sent0 = sent;
    const t0 = Date.now();
    log(`soak of ${SOAK_S} s`);
    for (let s = 0; s < SOAK_S; s += 30) {
      await sleep(Math.min(30, SOAK_S - s) * 1000);
      log(`${Math.min(s + 30, SOAK_S)} s: ${(await applied()) - a0} events applied, ${sent - sent0} state changes sent, load ${loadavg()[0]!.toFixed(1)}`);
      if ((s + 30) % 120 === 0 && s + 30 < SOAK_S) heaps.push(await heapAfterGc());
    }
    const elapsed = (Date.now() - t0) / 1000;
    const m1 = await metrics();
    const a1 = await applied();
    heaps.push(await heapAfterGc());
    stop = true;
    wake();
    await Promise.all(drivers);
    const heap0 = heaps[0]!;
    const heap1 = heaps.at(-1)!;
    const rows = await page.locator('tr[data-user-id]').count();
    if (rows !== TRAINEES) throw new Error(`the floor shows ${rows} rows instead of ${TRAINEES}`);
    if (browser.findings.pageErrors.length) throw new Error(`page errors: ${browser.findings.pageErrors.join('; ')}`);
    // TaskDuration: seconds the renderer's main thread was busy (scripts, style, layout, paint).
    const busyMs = ((m1.TaskDuration! - m0.TaskDuration!) * 1000) / elapsed;
    log(`script ${(((m1.ScriptDuration! - m0.ScriptDuration!) * 1000) / elapsed).toFixed(1)} ms/s, layout ${(((m1.LayoutDuration! - m0.LayoutDuration!) * 1000) / elapsed).toFixed(1)} ms/s, style ${(((m1.RecalcStyleDuration! - m0.RecalcStyleDuration!) * 1000) / elapsed).toFixed(1)} ms/s`);
    log(`heap after GC, every 2 min: ${heaps.map((h) => (h / 1e6).toFixed(1)).join(' → ')} MB over ${elapsed.toFixed(0)} s`);
    log(`main thread per applied event: ${((busyMs * elapsed) / Math.max(1, a1 - a0)).toFixed(2)} ms; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    result = {
      bench: 'floor',
      trainees: TRAINEES,
      soak_s: Math.round(elapsed),
      events_per_s: Math.round(((a1 - a0) / elapsed) * 10) / 10,
      main_thread_ms_per_s: Math.round(busyMs * 10) / 10,
      heap_growth_mb: Math.round(((heap1 - heap0) / 1e6) * 100) / 100,
    };
  } finally {
    await browser.close();
  }
} finally {
  stop = true;
  wake();
  for (const s of agents) s.disconnect();
  await sleep(2500);
  await server.close();
  execFileSync(tsx, [path.join(repoRoot, 'scripts/test-db.ts'), 'drop', template], { stdio: ['ignore', 'ignore', 'inherit'] });
}
console.log(JSON.stringify(result));
