import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignDailyReply } from '@passerelle/shared/api/reports';
import { startTestApp, type TestContext } from './app.ts';
import { seedRunningCampaign, type SeededCampaign } from './dialer-fixtures.ts';
import { login, OUTSIDE_IP, seedFixture, type Fixture, type LoggedIn } from './fixtures.ts';

/** The campaign page's daily chart: dialled attempts per day of the site (Guadeloupe, UTC−4, no DST). */
let ctx: TestContext;
let fx: Fixture;
let campaign: SeededCampaign;
let trainer: LoggedIn;

const MIN = 60_000;
const localDay = (at: Date) => new Date(at.getTime() - 240 * MIN).toISOString().slice(0, 10);
/** Local midnight of today, as an instant. */
const midnight = () => new Date(Date.parse(`${localDay(new Date())}T00:00:00Z`) + 240 * MIN);

beforeAll(async () => {
  ctx = await startTestApp({ LOGIN_RATE_PER_MIN: '1000' });
  fx = await seedFixture(ctx.app);
  campaign = await seedRunningCampaign(ctx.app, fx, { count: 3, trainees: [fx.users.trainee.id] });
  trainer = await login(ctx.app, fx.users.trainer.username, OUTSIDE_IP);
  const attempt = (contact: number, dialedAt: Date | null, outcome: string) => ({
    campaignId: campaign.campaignId,
    contactId: campaign.contactIds[contact]!,
    partnerId: fx.partnerA,
    agentUserId: fx.users.trainee.id,
    status: 'closed' as const,
    offeredAt: new Date((dialedAt ?? new Date()).getTime() - 5000),
    dialedAt,
    closedAt: new Date((dialedAt ?? new Date()).getTime() + 60_000),
    outcome,
  });
  const m = midnight();
  await ctx.app.db
    .insertInto('callAttempts')
    .values([
      attempt(0, new Date(m.getTime() + MIN), 'appointment'),
      attempt(0, new Date(m.getTime() + 2 * MIN), 'not_interested'),
      // One minute before local midnight: yesterday, although the same UTC day.
      attempt(1, new Date(m.getTime() - MIN), 'busy'),
      // Offered and skipped, never dialled: not an attempt of the chart.
      attempt(2, null, 'offer_skipped'),
      attempt(2, new Date(m.getTime() - 20 * 1440 * MIN), 'no_answer'),
    ])
    .execute();
});
afterAll(() => ctx?.close());

const daily = (who: LoggedIn, id = campaign.campaignId, query = '') => ctx.app.inject({ method: 'GET', url: `/api/campaigns/${id}/daily${query}`, headers: who.headers, remoteAddress: OUTSIDE_IP });

describe('campaign daily counters', () => {
  it('counts dialled attempts, distinct contacts reached and outcomes per day of the site', async () => {
    const res = await daily(trainer);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as CampaignDailyReply;
    expect(body.timeZone).toBe('America/Guadeloupe');
    expect(body.days).toHaveLength(14);
    const today = body.days.at(-1)!;
    const yesterday = body.days.at(-2)!;
    expect(today).toEqual({ day: localDay(new Date()), attempts: 2, reached: 1, outcomes: { appointment: 1, not_interested: 1 } });
    expect(yesterday).toEqual({ day: localDay(new Date(midnight().getTime() - MIN)), attempts: 1, reached: 0, outcomes: { busy: 1 } });
    expect(body.days.slice(0, 12).every((d) => d.attempts === 0 && d.reached === 0 && Object.keys(d.outcomes).length === 0)).toBe(true);
    expect((await daily(trainer, campaign.campaignId, '?days=3')).json().days).toHaveLength(3);
    expect((await daily(trainer, campaign.campaignId, '?days=400')).statusCode).toBe(400);
  });

  it('writes no audit row for viewing counters, and answers 404 for an unknown campaign', async () => {
    const count = async () => (await ctx.app.db.selectFrom('auditLog').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n;
    const before = await count();
    const admin = await login(ctx.app, fx.users.admin.username, OUTSIDE_IP);
    const afterLogin = await count();
    expect((await daily(admin)).statusCode).toBe(200);
    expect((await daily(trainer)).statusCode).toBe(200);
    expect(await count()).toBe(afterLogin);
    expect(Number(afterLogin)).toBeGreaterThanOrEqual(Number(before));
    expect((await daily(trainer, '00000000-0000-4000-8000-000000000999')).statusCode).toBe(404);
  });
});
