/** Seeds offers the way the dialer leaves them, for the SIP benchmark and its resolver profile. */
import { sql } from 'kysely';
import { defaultMaskingPolicy } from '@passerelle/shared/masking';
import type { buildApp } from '../server/src/app.ts';
import { sealContact } from '../server/src/modules/contacts/pii.ts';
import { storeContacts } from '../server/src/modules/contacts/store.ts';
import { newCallToken } from '../server/src/modules/dialer/token.ts';

type App = Pick<Awaited<ReturnType<typeof buildApp>>, 'db' | 'vault'>;

/**
 * A running campaign open all week and `total` offers, one trainee each (a trainee holds one open
 * attempt): trainee `offered` with its state logged, contact locked by the attempt, token issued.
 * Returns "token;agentUserId" lines (SIPp injection format).
 */
export async function seedOffers(app: App, total: number): Promise<string[]> {
  const db = app.db;
  const site = await db.insertInto('sites').values({ name: 'Bench', timeZone: 'America/Guadeloupe' }).returning('id').executeTakeFirstOrThrow();
  const partner = await db.insertInto('partners').values({ name: 'Partenaire bench' }).returning('id').executeTakeFirstOrThrow();
  const campaign = await db
    .insertInto('campaigns')
    .values({ partnerId: partner.id, name: 'Bench SIP', type: 'after_sales', defaultRegion: 'GP', maskingPolicy: JSON.stringify(defaultMaskingPolicy), retentionDays: 30, legalBasisRequired: false })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .updateTable('campaigns')
    .set({ status: 'running', windows: JSON.stringify([{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59' }]), callerId: '+590590990000' } as never)
    .where('id', '=', campaign.id)
    .execute();
  const key = await app.vault.keyFor(campaign.id);
  const rows: string[] = [];
  const expiresAt = new Date(Date.now() + 3600_000);
  for (let offset = 0; offset < total; offset += 1000) {
    const n = Math.min(1000, total - offset);
    const users = await db
      .insertInto('users')
      .values(Array.from({ length: n }, (_, i) => ({ username: `bench-${offset + i}@sip`, displayName: 'Bench', role: 'trainee' as const, siteId: site.id, passwordHash: 'x' })))
      .returning('id')
      .execute();
    const contacts = await storeContacts(
      db,
      users.map((_, i) => {
          const k = offset + i;
          // 4th digit from the end 0: the trunk answers.
          const phone = `+590690${String(Math.floor(k / 1000)).padStart(2, '0')}0${String(k % 1000).padStart(3, '0')}`;
          return { campaignId: campaign.id, partnerId: partner.id, ...sealContact(app.vault, key, [phone], {}), territory: 'GP', timeZone: 'America/Guadeloupe', masked: '{}' };
      }),
    );
    const attempts = await db
      .insertInto('callAttempts')
      .values(users.map((u, i) => ({ campaignId: campaign.id, contactId: contacts[i]!, partnerId: partner.id, agentUserId: u.id })))
      .returning(['id', 'agentUserId', 'contactId'])
      .execute();
    await db
      .insertInto('agentPresence')
      .values(attempts.map((a) => ({ userId: a.agentUserId, status: 'offered' as const, reason: null, pendingPause: null, attemptId: a.id, campaignId: campaign.id })))
      .execute();
    await db
      .insertInto('agentStateLog')
      .values(attempts.map((a) => ({ userId: a.agentUserId, status: 'offered' as const, reason: null, startedAt: new Date(), endedAt: null, cause: 'offer' })))
      .execute();
    await sql`update contacts_dialing d set status = 'locked', locked_by = a.agent_user_id, attempt_id = a.id, lock_expires_at = ${expiresAt}
      from call_attempts a where a.id = any(${attempts.map((a) => a.id)}::uuid[]) and d.contact_id = a.contact_id`.execute(db);
    const tokens = attempts.map((a) => ({ token: newCallToken(), agentUserId: a.agentUserId, attemptId: a.id, expiresAt }));
    await db.insertInto('callTokens').values(tokens).execute();
    for (const t of tokens) rows.push(`${t.token};${t.agentUserId}`);
  }
  return rows;
}
