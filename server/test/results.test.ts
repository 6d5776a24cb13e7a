import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestContext } from './app.ts';
import { login, SEAT_IP, seedFixture, type Fixture, type LoggedIn } from './fixtures.ts';
import { addContacts, makeCampaign, partnerApiKey } from './vault-fixtures.ts';
import { addOptOut } from '../src/modules/blocklists/service.ts';

let ctx: TestContext;
let fx: Fixture;
let partnerA: LoggedIn;
let campaign: string;
let ids: string[];
const HOSTILE = '=HYPERLINK("http://evil.example","clic")';

beforeAll(async () => {
  ctx = await startTestApp({ LOGIN_RATE_PER_MIN: '1000', SITE_TIME_ZONE: 'America/Guadeloupe' });
  fx = await seedFixture(ctx.app);
  partnerA = await login(ctx.app, fx.users.partnerA.username);
  campaign = await makeCampaign(ctx.app, fx.partnerA, { type: 'appointment' });
  ids = await addContacts(ctx.app, campaign, [
    { phones: ['+590690001501'], pii: { firstName: 'Marie', lastName: 'Dupont', customerRef: HOSTILE } },
    { phones: ['+590690001502'], pii: { firstName: 'Luc', lastName: 'Martin', customerRef: 'REF;002' } },
    { phones: ['+590690001503'], pii: { firstName: 'Inès', lastName: 'Petit', customerRef: '+33 REF' } },
    { phones: ['+590690001504'], pii: { firstName: 'Paul', lastName: 'Roux' } },
  ]);
  const [appt, cb, opt] = ids as [string, string, string, string];
  const db = ctx.app.db;
  // Dialer state, as the dialer leaves it after calls (a trainee placed them).
  const slot = await db
    .insertInto('appointmentSlots')
    .values({ partnerId: fx.partnerA, campaignId: campaign, startsAt: new Date('2026-12-03T13:30:00Z'), endsAt: new Date('2026-12-03T14:00:00Z'), channel: 'onsite', place: 'Agence Jarry' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const lastAt = new Date('2026-11-27T15:05:00Z');
  await db
    .insertInto('callAttempts')
    .values({
      campaignId: campaign,
      contactId: appt,
      partnerId: fx.partnerA,
      agentUserId: fx.users.trainee.id,
      status: 'closed',
      closedAt: lastAt,
      outcome: 'appointment',
      disposition: JSON.stringify({ code: 'appointment', slotId: slot.id, channel: 'onsite', note: 'Conseiller trainee a noté' }),
    })
    .execute();
  await db.updateTable('contactsDialing').set({ status: 'done', attempts: 2, lastOutcome: 'appointment', lastAttemptAt: lastAt }).where('contactId', '=', appt).execute();
  const attempt = await db
    .insertInto('callAttempts')
    .values({ campaignId: campaign, contactId: cb, partnerId: fx.partnerA, agentUserId: fx.users.trainee.id, status: 'closed', closedAt: lastAt, outcome: 'callback' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('callbacks').values({ campaignId: campaign, contactId: cb, dueAt: new Date('2026-11-30T18:00:00Z'), createdByAttempt: attempt.id, reservedTo: fx.users.trainee.id }).execute();
  await db.updateTable('contactsDialing').set({ status: 'callback', attempts: 1, lastOutcome: 'callback', lastAttemptAt: lastAt }).where('contactId', '=', cb).execute();
  const optRow = await db.selectFrom('contacts').select('phoneHmac').where('id', '=', opt).executeTakeFirstOrThrow();
  await addOptOut(db, fx.partnerA, optRow.phoneHmac, 'call:test');
  await db.updateTable('contactsDialing').set({ status: 'opted_out', attempts: 1, lastOutcome: 'opt_out', lastAttemptAt: lastAt }).where('contactId', '=', opt).execute();
});
afterAll(() => ctx?.close());

const get = (url: string, headers = partnerA.headers) => ctx.app.inject({ method: 'GET', url, headers, remoteAddress: SEAT_IP });

describe('partner results', () => {
  it('JSON: one row per contact with reference, status, attempts, appointment, callback, opt-out', async () => {
    const res = await get(`/api/campaigns/${campaign}/results`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.counts).toEqual({ contacts: 4, done: 1, callback: 1, opted_out: 1, pending: 1 });
    expect(body.next).toBeNull();
    const byId = new Map(body.items.map((i: { contactId: string }) => [i.contactId, i]));
    expect(byId.get(ids[0])).toEqual({
      contactId: ids[0],
      customerRef: HOSTILE,
      status: 'done',
      attempts: 2,
      lastOutcome: 'appointment',
      lastAttemptAt: '2026-11-27T15:05:00.000Z',
      appointmentAt: '2026-12-03T13:30:00.000Z',
      appointmentPlace: 'Agence Jarry',
      callbackAt: null,
      optedOut: false,
    });
    expect(byId.get(ids[1])).toMatchObject({ status: 'callback', callbackAt: '2026-11-30T18:00:00.000Z' });
    expect(byId.get(ids[2])).toMatchObject({ status: 'opted_out', optedOut: true });
    expect(byId.get(ids[3])).toMatchObject({ status: 'pending', attempts: 0, customerRef: null });
    // Never trainee identities nor call notes.
    expect(res.body).not.toContain(fx.users.trainee.id);
    expect(res.body).not.toMatch(/Conseiller|noté|\+5906900015/);
  });

  it('pages with a cursor', async () => {
    const first = (await get(`/api/campaigns/${campaign}/results?limit=3`)).json();
    expect(first.items).toHaveLength(3);
    const second = (await get(`/api/campaigns/${campaign}/results?limit=3&after=${first.next}`)).json();
    expect(second.items).toHaveLength(1);
    expect(second.next).toBeNull();
    expect(new Set([...first.items, ...second.items].map((i: { contactId: string }) => i.contactId)).size).toBe(4);
  });

  it('CSV: UTF-8 BOM, semicolons, CRLF, formula injection neutralized, no trainee identity; audited', async () => {
    const key = await partnerApiKey(ctx.app, fx.partnerA);
    const res = await get(`/api/campaigns/${campaign}/results.csv`, key);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain('attachment');
    const raw = res.rawPayload;
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = raw.toString('utf8').slice(1);
    const lines = text.split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe('Référence client;Statut;Tentatives;Dernier résultat;Date du dernier appel;Rendez-vous;Lieu du rendez-vous;Rappel prévu;Opposition');
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""clic"")";Traité;2;Rendez-vous;2026-11-27 11:05;2026-12-03 09:30;Agence Jarry;;non`);
    expect(text).toContain('"REF;002";Rappel prévu;1;Rappel;2026-11-27 11:05;;;2026-11-30 14:00;non');
    expect(text).toContain("'+33 REF;Opposition;1;Opposition;");
    expect(text).not.toMatch(/(^|;)[=+\-@]/m);
    expect(text).not.toContain(fx.users.trainee.id);
    const audit = await ctx.app.db.selectFrom('auditLog').select(['details', 'actorRole']).where('action', '=', 'campaign.results_export').where('targetId', '=', campaign).execute();
    expect(audit.map((a) => (a.details as { format: string }).format)).toEqual(expect.arrayContaining(['json', 'csv']));
    expect(audit.some((a) => a.actorRole === 'partner_api_key')).toBe(true);
  });
});
