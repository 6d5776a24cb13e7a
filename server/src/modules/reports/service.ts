import { sql } from 'kysely';
import { reachedOutcomes } from '@passerelle/shared/api/campaign-engine';
import type { CampaignDay, HoursRow } from '@passerelle/shared/api/reports';
import type { Db } from '../../db/database.ts';

const minutes = (seconds: number | null) => Math.round(((seconds ?? 0) / 60) * 10) / 10;

/**
 * Trainees' working time from the agent state log, cut at period boundaries of the site's time
 * zone (a state spanning midnight counts on both days). Open states count until now.
 */
export async function hoursReport(db: Db, q: { from: Date; to: Date; group: 'day' | 'week'; timeZone: string; userId?: string }): Promise<HoursRow[]> {
  const step = q.group === 'day' ? '1 day' : '1 week';
  const truncUnit = q.group;
  // CamelCasePlugin maps the result columns (user_id → userId).
  const rows = await sql<{ userId: string; displayName: string; period: string; worked: number; productive: number; inCall: number; paused: number }>`
    with periods as (
      select to_char(ls, 'YYYY-MM-DD') as period, ls at time zone ${q.timeZone} as ps, (ls + ${step}::interval) at time zone ${q.timeZone} as pe
      from generate_series(date_trunc(${truncUnit}, ${q.from}::timestamptz at time zone ${q.timeZone}), ${q.to}::timestamptz at time zone ${q.timeZone}, ${step}::interval) as ls
    ),
    spans as (
      select user_id, status, greatest(started_at, ${q.from}::timestamptz) as s, least(coalesce(ended_at, now()), ${q.to}::timestamptz) as e
      from agent_state_log
      where started_at < ${q.to}::timestamptz and coalesce(ended_at, now()) > ${q.from}::timestamptz
        ${q.userId ? sql`and user_id = ${q.userId}::uuid` : sql``}
    ),
    cut as (
      select sp.user_id, p.period, sp.status, extract(epoch from least(sp.e, p.pe) - greatest(sp.s, p.ps)) as secs
      from spans sp join periods p on sp.s < p.pe and sp.e > p.ps
    )
    select c.user_id, u.display_name, c.period,
      sum(secs)::float8 as worked,
      (sum(secs) filter (where status <> 'paused'))::float8 as productive,
      (sum(secs) filter (where status in ('dialing', 'ringing', 'in_call')))::float8 as in_call,
      (sum(secs) filter (where status = 'paused'))::float8 as paused
    from cut c join users u on u.id = c.user_id
    group by c.user_id, u.display_name, c.period
    order by u.display_name, c.period`.execute(db);
  return rows.rows.map((r) => ({
    userId: r.userId,
    displayName: r.displayName,
    period: r.period,
    workedMinutes: minutes(r.worked),
    productiveMinutes: minutes(r.productive),
    inCallMinutes: minutes(r.inCall),
    pausedMinutes: minutes(r.paused),
  }));
}

/** French Excel reads "5,4" as a number; "5.4" becomes a date or text. */
const frenchNumber = new Intl.NumberFormat('fr-FR', { useGrouping: false, maximumFractionDigits: 2 });

const csvCell = (v: string | number) => {
  const s = typeof v === 'number' ? frenchNumber.format(v) : v;
  // Neutralize spreadsheet formulas and quote separators.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[;"\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** CSV for spreadsheets (semicolons, French headers, UTF-8 BOM so Excel reads the accents). */
export function hoursCsv(rows: HoursRow[], group: 'day' | 'week'): string {
  const header = ['Conseiller', group === 'day' ? 'Jour' : 'Semaine du', 'Minutes connecté', 'Minutes en production', 'Minutes en appel', 'Minutes en pause'];
  const lines = rows.map((r) => [r.displayName, r.period, r.workedMinutes, r.productiveMinutes, r.inCallMinutes, r.pausedMinutes].map(csvCell).join(';'));
  return '\uFEFF' + [header.join(';'), ...lines].join('\r\n') + '\r\n';
}

/**
 * A campaign's dialled attempts per day of the site's time zone over the last `days` days (today
 * included, empty days too): attempts, distinct contacts reached, attempts per outcome.
 */
export async function campaignDaily(db: Db, q: { campaignId: string; days: number; timeZone: string }): Promise<CampaignDay[]> {
  const rows = await sql<{ day: string; outcome: string | null; attempts: number; reached: number }>`
    with bounds as (select (now() at time zone ${q.timeZone})::date as today),
    days as (
      select generate_series(today - (${q.days}::int - 1), today, interval '1 day')::date as day from bounds
    ),
    a as (
      select (a.dialed_at at time zone ${q.timeZone})::date as day, a.outcome, a.contact_id
      from call_attempts a, bounds
      where a.campaign_id = ${q.campaignId}::uuid
        and a.dialed_at >= ((today - (${q.days}::int - 1))::timestamp at time zone ${q.timeZone})
    ),
    reached as (
      select d.day, count(distinct a.contact_id) filter (where a.outcome = any(${[...reachedOutcomes]}::text[]))::int as reached
      from days d left join a on a.day = d.day group by d.day
    ),
    outcomes as (select day, outcome, count(*)::int as attempts from a group by day, outcome)
    select to_char(d.day, 'YYYY-MM-DD') as day, o.outcome, coalesce(o.attempts, 0) as attempts, d.reached
    from reached d left join outcomes o on o.day = d.day
    order by d.day`.execute(db);
  const byDay = new Map<string, CampaignDay>();
  for (const r of rows.rows) {
    const day = byDay.get(r.day) ?? { day: r.day, attempts: 0, reached: 0, outcomes: {} };
    byDay.set(r.day, day);
    day.attempts += r.attempts;
    day.reached = r.reached;
    if (r.attempts) day.outcomes[r.outcome ?? 'open'] = r.attempts;
  }
  return [...byDay.values()];
}
