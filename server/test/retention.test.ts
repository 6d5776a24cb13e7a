import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Queue } from 'bullmq';
import { startTestApp, type TestContext } from './app.ts';
import { login, SEAT_IP, seedFixture, type Fixture } from './fixtures.ts';
import { addContacts, makeCampaign } from './vault-fixtures.ts';
import { expiredCampaigns, purgeCampaign, runRetention } from '../src/modules/retention/purge.ts';
import { RETENTION_QUEUE } from '../src/modules/retention/worker.ts';
import { VaultError } from '../src/modules/vault/vault.ts';

let ctx: TestContext;
let fx: Fixture;
const silent = { warn: () => undefined };

beforeAll(async () => {
  ctx = await startTestApp({ LOGIN_RATE_PER_MIN: '1000' });
  fx = await seedFixture(ctx.app);
});
afterAll(() => ctx?.close());

async function age(campaignId: string, days: number, column: 'created_at' | 'ended_at' = 'created_at') {
  await sql`update campaigns set ${sql.ref(column)} = now() - make_interval(days => ${days}) where id = ${campaignId}`.execute(ctx.app.db);
}

const contacts = (n: number, base: number) =>
  Array.from({ length: n }, (_, i) => ({ phones: [`+5906900${String(base + i).padStart(5, '0')}`], pii: { firstName: 'Synthé', lastName: `Tique${i}`, customerRef: `R${i}` } }));

describe('retention', () => {
  it('selects campaigns past their retention (from end, else creation), never a running one', async () => {
    const old = await makeCampaign(ctx.app, fx.partnerA, { retentionDays: 30 });
    await age(old, 31);
    const fresh = await makeCampaign(ctx.app, fx.partnerA, { retentionDays: 30 });
    await age(fresh, 29);
    const endedLongAgo = await makeCampaign(ctx.app, fx.partnerA, { retentionDays: 30 });
    await age(endedLongAgo, 400);
    await age(endedLongAgo, 10, 'ended_at'); // ended recently: kept
    const running = await makeCampaign(ctx.app, fx.partnerA, { retentionDays: 30 });
    await age(running, 400);
    await ctx.app.db.updateTable('campaigns').set({ status: 'running' }).where('id', '=', running).execute();
    const expired = await expiredCampaigns(ctx.app.db);
    expect(expired).toContain(old);
    expect(expired).not.toContain(fresh);
    expect(expired).not.toContain(endedLongAgo);
    expect(expired).not.toContain(running);
    await purgeCampaign(ctx.app, old);
  });

  it('purges an expired campaign: key shredded, contacts gone, audited, counts kept', async () => {
    const c = await makeCampaign(ctx.app, fx.partnerA, { retentionDays: 30 });
    const ids = await addContacts(ctx.app, c, contacts(3, 1601));
    await ctx.app.db.updateTable('contactsDialing').set({ status: 'done' }).where('contactId', '=', ids[0]!).execute();
    const attempt = await ctx.app.db
      .insertInto('callAttempts')
      .values({ campaignId: c, contactId: ids[0]!, partnerId: fx.partnerA, phoneHmac: 'x'.repeat(64), agentUserId: fx.users.trainee.id, status: 'closed', closedAt: new Date(), outcome: 'no_answer' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const keep = await makeCampaign(ctx.app, fx.partnerA, { retentionDays: 30 });
    await addContacts(ctx.app, keep, contacts(1, 1650));
    await age(c, 45);

    const purged = await runRetention(ctx.app, silent);
    expect(purged).toEqual([c]);
    expect(await runRetention(ctx.app, silent)).toEqual([]); // idempotent

    expect(await ctx.app.db.selectFrom('contacts').select('id').where('campaignId', '=', c).execute()).toEqual([]);
    expect(await ctx.app.db.selectFrom('contacts').select('id').where('campaignId', '=', keep).execute()).toHaveLength(1);
    const key = await ctx.app.db.selectFrom('campaignKeys').selectAll().where('campaignId', '=', c).executeTakeFirstOrThrow();
    expect(key.wrappedKey).toBeNull();
    await expect(ctx.app.vault.keyFor(c)).rejects.toBeInstanceOf(VaultError);
    const a = await ctx.app.db.selectFrom('callAttempts').select(['contactId', 'phoneHmac', 'outcome']).where('id', '=', attempt.id).executeTakeFirstOrThrow();
    expect(a).toEqual({ contactId: null, phoneHmac: null, outcome: 'no_answer' });

    const audit = await ctx.app.db.selectFrom('auditLog').select(['actorRole', 'details']).where('action', '=', 'campaign.purge').where('targetId', '=', c).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorRole).toBe('system');
    expect(audit[0]!.details).toMatchObject({ reason: 'retention', deletedContacts: 3, counts: { contacts: 3, done: 1, pending: 2 } });

    // The partner still sees the campaign and its counts.
    const partner = await login(ctx.app, fx.users.partnerA.username);
    const res = await ctx.app.inject({ method: 'GET', url: `/api/campaigns/${c}/results`, headers: partner.headers, remoteAddress: SEAT_IP });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ counts: { contacts: 3, done: 1, pending: 2 }, items: [] });
    expect(res.json().purgedAt).not.toBeNull();
    const get = await ctx.app.inject({ method: 'GET', url: `/api/campaigns/${c}`, headers: partner.headers, remoteAddress: SEAT_IP });
    expect(get.json()).toMatchObject({ contactCount: 0, purgeCounts: { contacts: 3 } });
  });
});

describe('early purge by an admin', () => {
  it('requires an admin and a reason, refuses a running campaign, purges and audits the reason', async () => {
    const c = await makeCampaign(ctx.app, fx.partnerB);
    await addContacts(ctx.app, c, contacts(1, 1801));
    const admin = await login(ctx.app, fx.users.admin.username);
    const trainer = await login(ctx.app, fx.users.trainer.username);
    const purge = (h: Record<string, string>, payload: object) => ctx.app.inject({ method: 'POST', url: `/api/campaigns/${c}/purge`, headers: h, payload, remoteAddress: SEAT_IP });
    expect((await purge(trainer.headers, { reason: 'fin du contrat partenaire' })).statusCode).toBe(403);
    expect((await purge(admin.headers, {})).statusCode).toBe(400);
    await ctx.app.db.updateTable('campaigns').set({ status: 'running' }).where('id', '=', c).execute();
    expect((await purge(admin.headers, { reason: 'fin du contrat partenaire' })).json().error.code).toBe('CAMPAIGN_RUNNING');
    await ctx.app.db.updateTable('campaigns').set({ status: 'finished' }).where('id', '=', c).execute();
    expect((await purge(admin.headers, { reason: 'fin du contrat partenaire' })).statusCode).toBe(204);
    expect((await purge(admin.headers, { reason: 'fin du contrat partenaire' })).json().error.code).toBe('CAMPAIGN_PURGED');
    const audit = await ctx.app.db.selectFrom('auditLog').select(['actorUserId', 'details']).where('action', '=', 'campaign.purge').where('targetId', '=', c).executeTakeFirstOrThrow();
    expect(audit.actorUserId).toBe(fx.users.admin.id);
    expect(audit.details).toMatchObject({ reason: 'fin du contrat partenaire', counts: { contacts: 1 } });
    expect(await ctx.app.db.selectFrom('contacts').select('id').where('campaignId', '=', c).execute()).toEqual([]);
  });
});

describe('retention worker', () => {
  it('runs as a BullMQ repeatable job under REDIS_PREFIX and purges when it fires', async () => {
    const app = ctx.app;
    const c = await makeCampaign(app, fx.partnerB, { retentionDays: 10 });
    await addContacts(app, c, contacts(2, 1701));
    await age(c, 11);
    const queue = new Queue(RETENTION_QUEUE, { connection: app.redis, prefix: app.config.REDIS_PREFIX });
    const worker = await startRetentionWorker();
    try {
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => s.key)).toContain('retention-sweep');
      expect(await app.redis.keys(`${app.config.REDIS_PREFIX}:${RETENTION_QUEUE}:*`)).not.toEqual([]);
      // The scheduler fires a first sweep right away.
      for (let i = 0; i < 100; i++) {
        const row = await app.db.selectFrom('campaigns').select('purgedAt').where('id', '=', c).executeTakeFirstOrThrow();
        if (row.purgedAt) break;
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
    expect((await app.db.selectFrom('campaigns').select('purgedAt').where('id', '=', c).executeTakeFirstOrThrow()).purgedAt).not.toBeNull();
  });
});

/** Starts only the retention worker of the registry (the test app runs with RUN_WORKERS=false). */
async function startRetentionWorker() {
  expect(ctx.app.workers.names()).toContain('retention');
  return ctx.app.workers.start('retention');
}
