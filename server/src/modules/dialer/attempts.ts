import { sql, type Expression, type Kysely, type RawBuilder, type Selectable, type Transaction } from 'kysely';
import { capReleaseAt, nextCallableInstant, nextStepAfter, isCanvassing, quietUntil, REFUSAL_QUIET_DAYS, CANVASSING_CAP_DAYS } from '@passerelle/shared/calling-rules';
import type { DialerSettings } from '@passerelle/shared/api/campaign-engine';
import type { Database, Db } from '../../db/database.ts';
import { addOptOut } from '../blocklists/service.ts';
import { effectiveSettings, type CampaignRecord } from '../campaign-engine/settings.ts';
import type { CallAttemptsTable, ContactsDialingTable, DialerDatabase, DialingStatus } from './tables.ts';

/**
 * Postgres-side moves of attempts and contacts. Each function runs inside the caller's
 * transaction, so a contact's lock, its attempt and the agent's state change together or not at all.
 */

export type Trx = Transaction<Database>;
type Exec = Db | Trx;
export type AttemptRow = Selectable<CallAttemptsTable>;
export type DialingRow = Selectable<ContactsDialingTable>;

export interface CampaignContext {
  row: CampaignRecord;
  settings: DialerSettings;
  /** The row's version (`xmin`: changes with every update of the campaign), for cached copies. */
  version: string;
  partnerName: string;
}

/** Loads a campaign with its dialing columns (dates as YYYY-MM-DD) and effective settings. */
export async function loadCampaign(exec: Exec, id: string): Promise<CampaignContext | undefined> {
  const row = await (exec as unknown as Kysely<DialerDatabase>)
    .selectFrom('campaigns')
    .selectAll()
    // pg would parse `date` into a local-midnight Date; the rules want the calendar day.
    .select([sql<string | null>`to_char(starts_on, 'YYYY-MM-DD')`.as('startsOn'), sql<string | null>`to_char(ends_on, 'YYYY-MM-DD')`.as('endsOn')])
    .select([sql<string>`campaigns.xmin::text`.as('version'), sql<string | null>`(select name from partners p where p.id = campaigns.partner_id)`.as('partnerName')])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { version, partnerName, ...campaign } = row as typeof row & CampaignRecord;
  return { row: campaign as CampaignRecord, settings: effectiveSettings(campaign as CampaignRecord), version, partnerName: partnerName ?? '' };
}

export interface NumberHistory {
  attempts: Date[];
  lastRefusalAt: Date | null;
}

/** How far back a number's attempts matter (cap period and quiet period). */
export const HISTORY_DAYS = Math.max(CANVASSING_CAP_DAYS, REFUSAL_QUIET_DAYS);

/** Summarizes a number's recent attempts: dialled ones within the cap period, and the last refusal. */
export function summarizeHistory(rows: { dialedAt: Date | null; outcome: string | null; closedAt: Date | null }[], now: Date): NumberHistory {
  const capStart = now.getTime() - CANVASSING_CAP_DAYS * 86_400_000;
  const attempts = rows.filter((r) => r.dialedAt && r.dialedAt.getTime() > capStart).map((r) => r.dialedAt!);
  const refusals = rows.filter((r) => r.outcome === 'not_interested').map((r) => (r.closedAt ?? r.dialedAt!).getTime());
  return { attempts, lastRefusalAt: refusals.length ? new Date(Math.max(...refusals)) : null };
}

/** A number's attempts as `historyRows` selects them (JSON; null when there are none). */
export type HistoryRows = { dialedAt: string | null; outcome: string | null; closedAt: string | null }[] | null;

/**
 * `from …` the attempts on a number for a partner over the history period (canvassing only when
 * `canvassing` is given: other campaigns have no cap), to select inside a larger statement.
 */
export const historyFrom = (partnerId: Expression<string>, phoneHmac: Expression<string>, now: Date, canvassing: boolean | null = null) =>
  sql`from call_attempts a where ${canvassing ?? true}::boolean and a.partner_id = ${partnerId} and a.phone_hmac = ${phoneHmac}
    and a.dialed_at > ${new Date(now.getTime() - HISTORY_DAYS * 86_400_000)}`;

/** The attempts of `historyFrom` as `HistoryRows`. */
export const historyRows = (partnerId: Expression<string>, phoneHmac: Expression<string>, now: Date, canvassing: boolean | null = null) =>
  sql<HistoryRows>`(select json_agg(json_build_object('dialedAt', a.dialed_at, 'outcome', a.outcome, 'closedAt', a.closed_at)) ${historyFrom(partnerId, phoneHmac, now, canvassing)})`;

/** The history the rules judge, from `historyRows` (none for campaigns that are not canvassing). */
export const historyOf = (campaign: CampaignContext, rows: HistoryRows, now: Date): NumberHistory =>
  isCanvassing(campaign.row.type)
    ? summarizeHistory(
        (rows ?? []).map((h) => ({ dialedAt: h.dialedAt ? new Date(h.dialedAt) : null, outcome: h.outcome, closedAt: h.closedAt ? new Date(h.closedAt) : null })),
        now,
      )
    : { attempts: [], lastRefusalAt: null };

/** A number's history read on its own (dial and offer read it with their other facts). */
async function numberHistory(exec: Exec, campaign: CampaignContext, d: Pick<DialingRow, 'partnerId' | 'phoneHmac'>, now: Date): Promise<NumberHistory> {
  if (!isCanvassing(campaign.row.type)) return historyOf(campaign, null, now);
  const res = await sql<{ history: HistoryRows }>`select ${historyRows(sql.val(d.partnerId), sql.val(d.phoneHmac), now)} as history`.execute(exec);
  return historyOf(campaign, res.rows[0]!.history, now);
}

export type NotCallable = { reason: 'outside_window' | 'attempts_exhausted' | 'campaign_over'; nextAt: Date | null };

/**
 * Whether the contact may be called at `now` under the campaign's rules (window and holidays in
 * the callee's zone, campaign dates, canvassing caps and quiet period from `historyOf`, max
 * attempts). `rulesOffsetMs` shifts the instant the rules are judged at
 * (DIALER_RULES_CLOCK_OFFSET_MIN, tests only; refused in production); stored times stay real.
 */
export function judgeCallable(
  campaign: CampaignContext,
  d: Pick<DialingRow, 'attempts' | 'timeZone' | 'territory'>,
  history: NumberHistory,
  now: Date,
  opts: { notBefore?: Date | null; rulesOffsetMs: number },
): NotCallable | null {
  const s = campaign.settings;
  if (d.attempts >= s.retryRules.maxAttempts) return { reason: 'attempts_exhausted', nextAt: null };
  const shift = (t: Date) => new Date(t.getTime() + opts.rulesOffsetMs);
  const rulesNow = shift(now);
  const lastRefusalAt = history.lastRefusalAt && shift(history.lastRefusalAt);
  const attempts = history.attempts.map(shift);
  const atRules = nextCallableInstant({
    now: rulesNow,
    type: campaign.row.type,
    timeZone: d.timeZone,
    territory: d.territory,
    windows: s.windows,
    skipHolidays: true,
    notBefore: opts.notBefore ? shift(opts.notBefore) : null,
    attempts,
    lastRefusalAt,
    startsOn: s.startsOn,
    endsOn: s.endsOn,
  });
  if (atRules && atRules.getTime() <= rulesNow.getTime()) return null;
  const at = atRules && new Date(atRules.getTime() - opts.rulesOffsetMs);
  const capped = capReleaseAt(attempts, rulesNow) !== null || quietUntil(lastRefusalAt, rulesNow) !== null;
  if (capped) return { reason: 'attempts_exhausted', nextAt: at };
  return { reason: at ? 'outside_window' : 'campaign_over', nextAt: at };
}

/** Puts a contact back in the queue without a lock, at `nextAt` (or a final status). */
export async function releaseContact(trx: Trx, contactId: string, attemptId: string, set: { status: DialingStatus; nextAt?: Date; lastOutcome?: string; lastAttemptAt?: Date; attempts?: number }) {
  await trx
    .updateTable('contactsDialing')
    .set({ ...set, lockedBy: null, attemptId: null, lockExpiresAt: null, updatedAt: new Date() })
    .where('contactId', '=', contactId)
    .where('attemptId', '=', attemptId)
    .execute();
}

/** Closes an attempt that never reached the customer: the contact goes back exactly as it was (one statement). */
export async function returnUntouched(trx: Trx, attempt: Pick<AttemptRow, 'id'>, outcome: string, details: Record<string, unknown> = {}) {
  await sql`with ${untouchedReturn(attempt.id, outcome, details, new Date(), sql<boolean>`true`)} select 1`.execute(trx);
}

/**
 * CTEs that close an offered attempt without a call (`closed`, returning its contact and callback)
 * and give its contact back as it was (pending, or callback for a callback's), its token expired
 * and its callback pending again — only if `onlyIf` holds: to run alone or inside a larger statement.
 */
export const untouchedReturn = (attemptId: string, outcome: string, details: Record<string, unknown>, now: Date, onlyIf: RawBuilder<boolean>) =>
  sql`closed as (update call_attempts set status = 'closed', closed_at = ${now}, outcome = ${outcome}, disposition = ${JSON.stringify(details)}::jsonb
        where id = ${attemptId} and status = 'offered' and ${onlyIf} returning contact_id, callback_id),
    token as (update call_tokens set expires_at = least(expires_at, now()) where attempt_id = ${attemptId} and exists (select 1 from closed)),
    contact as (update contacts_dialing set status = case when (select callback_id from closed) is null then 'pending' else 'callback' end,
        locked_by = null, attempt_id = null, lock_expires_at = null, updated_at = ${now}
      where contact_id = (select contact_id from closed) and attempt_id = ${attemptId}),
    callback as (update callbacks set status = 'pending', updated_at = ${now} where id = (select callback_id from closed) and status = 'taken')`;

export interface SettleOptions {
  rulesOffsetMs: number;
  now?: Date;
  callbackAt?: Date | null;
  callbackReservedTo?: string | null;
  disposition?: Record<string, unknown> | null;
  optOutSource?: string;
}

/** Closes a dialled attempt with its outcome and moves the contact to the next step it dictates. */
export async function settleAttempt(trx: Trx, attempt: AttemptRow, campaign: CampaignContext, outcome: string, opts: SettleOptions) {
  const now = opts.now ?? new Date();
  let callback: { id: string; dueAt: Date } | null = null;
  await trx
    .updateTable('callAttempts')
    .set({ status: 'closed', closedAt: now, outcome, disposition: opts.disposition ? JSON.stringify(opts.disposition) : null })
    .where('id', '=', attempt.id)
    .execute();
  if (attempt.callbackId) await trx.updateTable('callbacks').set({ status: 'done', updatedAt: now }).where('id', '=', attempt.callbackId).execute();
  if (!attempt.contactId) return { callback };
  const d = await trx.selectFrom('contactsDialing').selectAll().where('contactId', '=', attempt.contactId).forUpdate().executeTakeFirst();
  if (!d || d.attemptId !== attempt.id) return { callback };
  const step = nextStepAfter(outcome, { now, attemptsMade: d.attempts, rules: campaign.settings.retryRules, callbackAt: opts.callbackAt ?? null });
  const base = { lastOutcome: outcome, lastAttemptAt: attempt.dialedAt ?? now };
  switch (step.kind) {
    case 'retry': {
      const blocked = judgeCallable(campaign, d, await numberHistory(trx, campaign, d, now), now, { notBefore: step.notBefore, rulesOffsetMs: opts.rulesOffsetMs });
      const nextAt = blocked ? blocked.nextAt : step.notBefore;
      await releaseContact(trx, d.contactId, attempt.id, nextAt ? { ...base, status: 'pending', nextAt } : { ...base, status: blocked?.reason === 'attempts_exhausted' ? 'exhausted' : 'expired' });
      break;
    }
    case 'callback': {
      const row = await trx
        .insertInto('callbacks')
        .values({ campaignId: campaign.row.id, contactId: d.contactId, dueAt: step.at, reservedTo: opts.callbackReservedTo ?? null, createdByAttempt: attempt.id })
        .returning(['id', 'dueAt'])
        .executeTakeFirstOrThrow();
      callback = row;
      await releaseContact(trx, d.contactId, attempt.id, { ...base, status: 'callback', nextAt: step.at });
      break;
    }
    case 'opt_out':
      await addOptOut(trx, d.partnerId, d.phoneHmac, opts.optOutSource ?? `call:${attempt.id}`);
      await releaseContact(trx, d.contactId, attempt.id, { ...base, status: 'opted_out' });
      break;
    case 'refused':
      await releaseContact(trx, d.contactId, attempt.id, { ...base, status: 'refused', nextAt: step.quietUntil });
      break;
    case 'exhausted':
      await releaseContact(trx, d.contactId, attempt.id, { ...base, status: 'exhausted' });
      break;
    case 'done':
      await releaseContact(trx, d.contactId, attempt.id, { ...base, status: 'done' });
      break;
    case 'untouched':
      await releaseContact(trx, d.contactId, attempt.id, { status: attempt.callbackId ? 'callback' : 'pending' });
      break;
  }
  return { callback };
}

/** The outcome the line itself reports when nobody qualified the call. */
export function technicalOutcome(a: Pick<AttemptRow, 'answeredAt' | 'sipCode' | 'dialedAt'>): 'no_answer' | 'busy' | 'failed' {
  if (a.answeredAt) return 'failed';
  if (a.sipCode === 486 || a.sipCode === 600) return 'busy';
  // 603: the callee declined the call, a person's "not now", not a technical failure.
  if (a.sipCode === null || a.sipCode === 408 || a.sipCode === 480 || a.sipCode === 487 || a.sipCode === 603) return a.dialedAt ? 'no_answer' : 'failed';
  return 'failed';
}
