import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { startSeededApp, type TestContext } from './app.ts';
import { login, SEAT_IP, type Fixture } from './fixtures.ts';

let ctx: TestContext;
let fx: Fixture;

beforeAll(async () => ({ ctx, fx } = await startSeededApp()));
afterAll(() => ctx?.close());

const get = (url: string, headers: Record<string, string> = {}) => ctx.app.inject({ method: 'GET', url, headers, remoteAddress: SEAT_IP });

describe('Bull Board at /admin/queues', () => {
  it('refuses anonymous callers (401), trainers, trainees and partners (403)', async () => {
    for (const url of ['/admin/queues', '/admin/queues/api/queues']) {
      expect((await get(url)).statusCode).toBe(401);
      for (const user of [fx.users.trainer, fx.users.trainee, fx.users.partnerA]) {
        const { headers } = await login(ctx.app, user.username);
        expect((await get(url, headers)).statusCode).toBe(403);
      }
    }
  });

  it('shows the modules’ queues to an admin, with their jobs, and no external resource in the page', async () => {
    const jobs = new Queue('retention', { connection: ctx.app.redis, prefix: ctx.app.config.REDIS_PREFIX });
    await jobs.add('probe', { at: 1 }, { delay: 60_000 });
    const { headers } = await login(ctx.app, fx.users.admin.username);
    const page = await get('/admin/queues', headers);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<div id="root">');
    expect(page.body).not.toMatch(/https?:\/\//);
    const api = await get('/admin/queues/api/queues', headers);
    expect(api.statusCode).toBe(200);
    const names = (api.json() as { queues: { name: string; counts: Record<string, number> }[] }).queues.map((q) => q.name).sort();
    expect(names).toEqual(['dialer', 'imports', 'retention']);
    const retention = (api.json() as { queues: { name: string; counts: Record<string, number> }[] }).queues.find((q) => q.name === 'retention')!;
    expect(retention.counts.delayed).toBe(1);
    await jobs.obliterate({ force: true });
    await jobs.close();
  });

  it('refuses a job action coming from another site', async () => {
    const { headers } = await login(ctx.app, fx.users.admin.username);
    const res = await ctx.app.inject({
      method: 'PUT',
      url: '/admin/queues/api/queues/retention/pause',
      headers: { ...headers, origin: 'https://evil.example' },
      remoteAddress: SEAT_IP,
    });
    expect(res.statusCode).toBe(403);
  });
});
