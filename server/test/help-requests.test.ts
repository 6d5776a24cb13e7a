import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSeededApp, type TestContext } from './app.ts';
import { login, SEAT_IP, type Fixture } from './fixtures.ts';

let ctx: TestContext;
let fx: Fixture;

beforeAll(async () => ({ ctx, fx } = await startSeededApp()));
afterAll(() => ctx?.close());

describe('help requests', () => {
  it('lets a trainee raise a hand once, a trainer acknowledge it, and the trainee see it', async () => {
    const trainee = await login(ctx.app, fx.users.trainee.username);
    const trainer = await login(ctx.app, fx.users.trainer.username);
    const inject = (who: { headers: Record<string, string> }, method: 'GET' | 'POST' | 'DELETE', url: string) =>
      ctx.app.inject({ method, url, headers: who.headers, remoteAddress: SEAT_IP });

    expect((await inject(trainee, 'GET', '/api/help-requests/mine')).json()).toEqual({ status: 'none', acknowledgedBy: null });
    expect((await inject(trainee, 'POST', '/api/help-requests')).json()).toEqual({ status: 'open', acknowledgedBy: null });
    expect((await inject(trainee, 'POST', '/api/help-requests')).statusCode).toBe(200);

    const list = (await inject(trainer, 'GET', '/api/help-requests')).json() as { items: { userId: string; status: string }[] };
    expect(list.items.map((i) => [i.userId, i.status])).toEqual([[fx.users.trainee.id, 'open']]);
    // Trainees cannot see the queue nor acknowledge.
    expect((await inject(trainee, 'GET', '/api/help-requests')).statusCode).toBe(403);
    expect((await inject(trainee, 'POST', `/api/help-requests/${fx.users.trainee.id}/acknowledge`)).statusCode).toBe(403);

    const ack = await inject(trainer, 'POST', `/api/help-requests/${fx.users.trainee.id}/acknowledge`);
    expect(ack.statusCode).toBe(200);
    const { displayName } = await ctx.app.db.selectFrom('users').select('displayName').where('id', '=', fx.users.trainer.id).executeTakeFirstOrThrow();
    expect((await inject(trainee, 'GET', '/api/help-requests/mine')).json()).toEqual({ status: 'acknowledged', acknowledgedBy: displayName });

    expect((await inject(trainer, 'POST', `/api/help-requests/${fx.users.trainee.id}/close`)).statusCode).toBe(204);
    expect((await inject(trainee, 'GET', '/api/help-requests/mine')).json()).toEqual({ status: 'none', acknowledgedBy: null });
    expect((await inject(trainer, 'POST', `/api/help-requests/${fx.users.trainee.id}/acknowledge`)).statusCode).toBe(404);

    const audit = await ctx.app.db.selectFrom('auditLog').select('action').where('action', '=', 'help.request').execute();
    expect(audit).toHaveLength(1);
  });

  it('lets the trainee withdraw the request', async () => {
    const trainee = await login(ctx.app, fx.users.trainee2.username);
    const trainer = await login(ctx.app, fx.users.trainer.username);
    await ctx.app.inject({ method: 'POST', url: '/api/help-requests', headers: trainee.headers, remoteAddress: SEAT_IP });
    const del = await ctx.app.inject({ method: 'DELETE', url: '/api/help-requests/mine', headers: trainee.headers, remoteAddress: SEAT_IP });
    expect(del.json()).toEqual({ status: 'none', acknowledgedBy: null });
    const list = (await ctx.app.inject({ method: 'GET', url: '/api/help-requests', headers: trainer.headers, remoteAddress: SEAT_IP })).json() as { items: unknown[] };
    expect(list.items).toEqual([]);
  });
});
