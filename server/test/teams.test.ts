import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupervisorSnapshot } from '@passerelle/shared/events';
import { startTestApp, type TestContext } from './app.ts';
import { ask, connectAs, type SupervisorClient } from './dialer-fixtures.ts';
import { login, OUTSIDE_IP, seedFixture, type Fixture, type LoggedIn } from './fixtures.ts';

/** Groupes de formation: admins manage them (audited), trainers read them, the floor snapshot carries them. */
let ctx: TestContext;
let fx: Fixture;
let admin: LoggedIn;
let trainer: LoggedIn;

beforeAll(async () => {
  ctx = await startTestApp({ LOGIN_RATE_PER_MIN: '1000' });
  fx = await seedFixture(ctx.app);
  admin = await login(ctx.app, fx.users.admin.username, OUTSIDE_IP);
  trainer = await login(ctx.app, fx.users.trainer.username, OUTSIDE_IP);
});
afterAll(() => ctx?.close());

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
const call = (method: Method, url: string, as: LoggedIn, payload?: unknown) =>
  ctx.app.inject({ method, url, headers: as.headers, remoteAddress: OUTSIDE_IP, ...(payload === undefined ? {} : { payload: payload as object }) });
const audit = (id: string) => ctx.app.db.selectFrom('auditLog').select(['action', 'actorUserId', 'details']).where('targetId', '=', id).orderBy('id').execute();

describe('training groups', () => {
  it('creates, renames, fills and deletes a group, each step audited; trainers only read', async () => {
    const created = await call('POST', '/api/admin/teams', admin, { siteId: fx.siteId, name: 'Groupe A' });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    expect(created.json()).toEqual({ id, siteId: fx.siteId, name: 'Groupe A', traineeIds: [] });
    expect((await call('POST', '/api/admin/teams', admin, { siteId: fx.siteId, name: 'Groupe A' })).json().error.code).toBe('TEAM_NAME_TAKEN');
    expect((await call('POST', '/api/admin/teams', trainer, { siteId: fx.siteId, name: 'Groupe T' })).statusCode).toBe(403);

    expect((await call('PATCH', `/api/admin/teams/${id}`, admin, { name: 'Groupe du matin' })).json().name).toBe('Groupe du matin');
    const members = await call('PUT', `/api/admin/teams/${id}/trainees`, admin, { traineeIds: [fx.users.trainee.id, fx.users.trainee2.id] });
    expect(members.statusCode, members.body).toBe(200);
    expect([...members.json().traineeIds].sort()).toEqual([fx.users.trainee.id, fx.users.trainee2.id].sort());
    // Only the site's trainees: a trainer cannot be put in a group.
    expect((await call('PUT', `/api/admin/teams/${id}/trainees`, admin, { traineeIds: [fx.users.trainer.id] })).json().error.code).toBe('NOT_SITE_TRAINEES');
    expect((await call('PUT', `/api/admin/teams/${id}/trainees`, admin, { traineeIds: [fx.users.trainee.id] })).json().traineeIds).toEqual([fx.users.trainee.id]);

    // A trainee moved to another group leaves the first one.
    const other = (await call('POST', '/api/admin/teams', admin, { siteId: fx.siteId, name: 'Groupe B' })).json().id as string;
    await call('PUT', `/api/admin/teams/${other}/trainees`, admin, { traineeIds: [fx.users.trainee.id] });
    const read = await call('GET', '/api/teams', trainer);
    expect(read.statusCode).toBe(200);
    expect(read.json().items).toEqual([
      { id: other, siteId: fx.siteId, name: 'Groupe B', traineeIds: [fx.users.trainee.id] },
      { id, siteId: fx.siteId, name: 'Groupe du matin', traineeIds: [] },
    ]);

    expect((await call('DELETE', `/api/admin/teams/${other}`, admin)).statusCode).toBe(204);
    const user = await ctx.app.db.selectFrom('users').select('teamId').where('id', '=', fx.users.trainee.id).executeTakeFirstOrThrow();
    expect(user.teamId).toBeNull();
    expect((await audit(id)).map((r) => r.action)).toEqual(['team.created', 'team.renamed', 'team.members_set', 'team.members_set']);
    expect((await audit(other)).map((r) => r.action)).toEqual(['team.created', 'team.members_set', 'team.deleted']);
    expect((await audit(id)).every((r) => r.actorUserId === fx.users.admin.id)).toBe(true);
  });

  it('puts the groups and their trainees in the floor snapshot', async () => {
    const id = (await call('POST', '/api/admin/teams', admin, { siteId: fx.siteId, name: 'Groupe du soir' })).json().id as string;
    await call('PUT', `/api/admin/teams/${id}/trainees`, admin, { traineeIds: [fx.users.trainee2.id] });
    await ctx.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(ctx.app.server.address() as { port: number }).port}`;
    const { cookie } = await login(ctx.app, fx.users.trainer.username, '127.0.0.1');
    const sup = connectAs<SupervisorClient>(url, '/supervisor', cookie);
    try {
      const snapshot = await ask<SupervisorSnapshot>((ack) => sup.emit('snapshot:get', ack));
      expect(snapshot.teams).toContainEqual({ id, name: 'Groupe du soir', traineeIds: [fx.users.trainee2.id] });
    } finally {
      sup.disconnect();
    }
  });
});
