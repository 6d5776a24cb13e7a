import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/** One contact's outcome as the partner sees it (no recordings, no trainee identity). */
export interface ContactOutcome {
  contactId: string;
  status: string;
  attempts: number;
  lastOutcome: string | null;
  lastAttemptAt: Date | null;
  appointmentAt: Date | null;
  appointmentPlace: string | null;
  callbackAt: Date | null;
  optedOut: boolean;
}

/**
 * Where partner results come from: the dialer's tables (contacts_dialing, call_attempts,
 * appointment_slots, callbacks) plus the opt-out list. The dialer owns those tables; this is the
 * one place that reads them for results, so a change there changes only this file.
 */
export interface ResultsSource {
  /** Outcomes of the given contacts of a campaign (contacts with no dialing row yet are 'pending'). */
  outcomes(db: Db, campaignId: string, contactIds: readonly string[]): Promise<Map<string, ContactOutcome>>;
  /** Contacts per dialing status, plus `contacts` (the total): what a purged campaign keeps. */
  statusCounts(db: Db, campaignId: string): Promise<Record<string, number>>;
}

export const dialerResultsSource: ResultsSource = {
  async outcomes(db, campaignId, contactIds) {
    const out = new Map<string, ContactOutcome>();
    if (contactIds.length === 0) return out;
    // Result keys come back camelCased (CamelCasePlugin), hence ContactOutcome directly.
    const { rows } = await sql<ContactOutcome>`
      select c.id as contact_id,
             coalesce(d.status, 'pending') as status,
             coalesce(d.attempts, 0) as attempts,
             d.last_outcome, d.last_attempt_at,
             ap.starts_at as appointment_at, ap.place as appointment_place,
             cb.due_at as callback_at,
             (d.status is not distinct from 'opted_out'
               or exists (select 1 from opt_outs o where o.partner_id = c.partner_id and o.phone_hmac = c.phone_hmac)) as opted_out
        from contacts c
        left join contacts_dialing d on d.contact_id = c.id
        left join lateral (
          select s.starts_at, s.place
            from call_attempts a
            join appointment_slots s on s.id::text = a.disposition ->> 'slotId'
           where a.contact_id = c.id and a.disposition ->> 'code' = 'appointment'
           order by a.closed_at desc nulls last
           limit 1) ap on true
        left join lateral (
          select due_at from callbacks k
           where k.contact_id = c.id and k.status in ('pending', 'taken')
           order by due_at limit 1) cb on true
       where c.campaign_id = ${campaignId} and c.id = any(${[...contactIds]}::uuid[])`.execute(db);
    for (const r of rows) out.set(r.contactId, r);
    return out;
  },

  async statusCounts(db, campaignId) {
    const { rows } = await sql<{ status: string; n: number }>`
      select coalesce(d.status, 'pending') as status, count(*)::int as n
        from contacts c left join contacts_dialing d on d.contact_id = c.id
       where c.campaign_id = ${campaignId}
       group by 1`.execute(db);
    const counts: Record<string, number> = { contacts: 0 };
    for (const r of rows) {
      counts[r.status] = r.n;
      counts.contacts! += r.n;
    }
    return counts;
  },
};
