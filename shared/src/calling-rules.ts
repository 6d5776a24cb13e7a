import type { CampaignType } from './api/campaigns.ts';
import { holidayOn } from './holidays.ts';

export type { CampaignType };

/**
 * Rules of outbound calling (DESIGN.md §7), evaluated in the CALLEE's time zone.
 * Pure functions: the dialer runs them when filling the hopper, at assignment and at dial time.
 */

/** Appointment-setting and loyalty offers are canvassing (démarchage); after-sales is not. */
export const isCanvassing = (type: CampaignType) => type !== 'after_sales';

/** A weekly calling window in local time. days: ISO weekdays (1 = Monday … 7 = Sunday). */
export interface CallingWindow {
  days: number[];
  start: string; // HH:MM
  end: string; // HH:MM, exclusive
}

/** Code de la consommation art. L223-1 / décret 2022-1313: Mon–Fri 10–13 and 14–20, no holidays. */
export const LEGAL_CANVASSING_WINDOWS: readonly CallingWindow[] = [
  { days: [1, 2, 3, 4, 5], start: '10:00', end: '13:00' },
  { days: [1, 2, 3, 4, 5], start: '14:00', end: '20:00' },
];

/** After-sales calls: default service hours, and the widest a campaign may configure. */
export const DEFAULT_SERVICE_WINDOWS: readonly CallingWindow[] = [
  { days: [1, 2, 3, 4, 5], start: '09:00', end: '19:00' },
  { days: [6], start: '09:00', end: '12:00' },
];
export const SERVICE_HOURS_BOUNDS: readonly CallingWindow[] = [{ days: [1, 2, 3, 4, 5, 6], start: '08:00', end: '21:00' }];

export const defaultWindows = (type: CampaignType): CallingWindow[] =>
  (isCanvassing(type) ? LEGAL_CANVASSING_WINDOWS : DEFAULT_SERVICE_WINDOWS).map((w) => ({ ...w, days: [...w.days] }));

/** Canvassing caps: attempts per partner and number over a rolling period, quiet period after a refusal. */
export const CANVASSING_ATTEMPT_CAP = 4;
export const CANVASSING_CAP_DAYS = 30;
export const REFUSAL_QUIET_DAYS = 60;

const DAY_MS = 86_400_000;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

// ------------------------------------------------------------------ time zones

export interface LocalTime {
  /** YYYY-MM-DD in the zone. */
  date: string;
  year: number;
  month: number;
  day: number;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  /** Minutes since local midnight. */
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function localTime(instant: Date, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) parts[p.type] = p.value;
  const year = Number(parts.year);
  const month = Number(parts.month);
  const day = Number(parts.day);
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    year,
    month,
    day,
    weekday: WEEKDAYS[parts.weekday!]!,
    minutes: Number(parts.hour) * 60 + Number(parts.minute) + Number(parts.second) / 60,
  };
}

/** Offset of the zone from UTC at an instant, in minutes (Paris in summer: +120). */
function offsetMinutes(instant: Date, timeZone: string): number {
  const l = localTime(instant, timeZone);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day) + l.minutes * 60_000;
  return Math.round((asUtc - instant.getTime()) / 60_000);
}

/** The UTC instant of a local wall-clock time (the later reading for a time skipped by DST). */
export function zonedInstant(year: number, month: number, day: number, minutes: number, timeZone: string): Date {
  const naive = Date.UTC(year, month - 1, day) + minutes * 60_000;
  let guess = naive - offsetMinutes(new Date(naive), timeZone) * 60_000;
  guess = naive - offsetMinutes(new Date(guess), timeZone) * 60_000;
  return new Date(guess);
}

// ------------------------------------------------------------------ windows

/** Errors (French) when windows are malformed or, for canvassing, wider than the law allows. */
export function validateWindows(type: CampaignType, windows: CallingWindow[]): string[] {
  const errors: string[] = [];
  if (windows.length === 0) errors.push('Au moins une plage horaire est requise.');
  const bounds = isCanvassing(type) ? LEGAL_CANVASSING_WINDOWS : SERVICE_HOURS_BOUNDS;
  windows.forEach((w, i) => {
    const label = `Plage ${i + 1}`;
    if (!HHMM.test(w.start) || !HHMM.test(w.end)) return void errors.push(`${label} : heure invalide (format HH:MM).`);
    if (minutesOf(w.start) >= minutesOf(w.end)) return void errors.push(`${label} : le début doit précéder la fin.`);
    if (w.days.length === 0 || w.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
      return void errors.push(`${label} : jours invalides (1 = lundi … 7 = dimanche).`);
    }
    const inside = bounds.some(
      (b) => w.days.every((d) => b.days.includes(d)) && minutesOf(w.start) >= minutesOf(b.start) && minutesOf(w.end) <= minutesOf(b.end),
    );
    if (!inside) {
      errors.push(
        isCanvassing(type)
          ? `${label} : hors des horaires légaux de démarchage (lundi–vendredi, 10h–13h et 14h–20h).`
          : `${label} : hors des heures de service autorisées (lundi–samedi, 8h–21h).`,
      );
    }
  });
  return errors;
}

export interface CalleeContext {
  timeZone: string;
  territory: string;
  windows: readonly CallingWindow[];
  /** Holidays of the callee's territory block calls (always true for canvassing). */
  skipHolidays: boolean;
}

export type ClosedReason = 'holiday' | 'weekend_or_day' | 'outside_hours';

/** Whether the window is open at this instant in the callee's zone; if not, why. */
export function windowStatus(instant: Date, ctx: CalleeContext): { open: true } | { open: false; reason: ClosedReason } {
  const l = localTime(instant, ctx.timeZone);
  if (ctx.skipHolidays && holidayOn(ctx.territory, l.date)) return { open: false, reason: 'holiday' };
  const today = ctx.windows.filter((w) => w.days.includes(l.weekday));
  if (today.length === 0) return { open: false, reason: 'weekend_or_day' };
  const inside = today.some((w) => l.minutes >= minutesOf(w.start) && l.minutes < minutesOf(w.end));
  return inside ? { open: true } : { open: false, reason: 'outside_hours' };
}

export const isWindowOpen = (instant: Date, ctx: CalleeContext) => windowStatus(instant, ctx).open;

/** First instant ≥ from at which the window is open (searching `horizonDays` ahead), or null. */
export function nextWindowOpening(from: Date, ctx: CalleeContext, horizonDays = 21): Date | null {
  const start = localTime(from, ctx.timeZone);
  for (let i = 0; i <= horizonDays; i++) {
    const noon = new Date(Date.UTC(start.year, start.month - 1, start.day + i, 12));
    const y = noon.getUTCFullYear();
    const m = noon.getUTCMonth() + 1;
    const d = noon.getUTCDate();
    const weekday = ((noon.getUTCDay() + 6) % 7) + 1;
    const date = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    if (ctx.skipHolidays && holidayOn(ctx.territory, date)) continue;
    const today = ctx.windows.filter((w) => w.days.includes(weekday)).sort((a, b) => minutesOf(a.start) - minutesOf(b.start));
    for (const w of today) {
      const open = zonedInstant(y, m, d, minutesOf(w.start), ctx.timeZone);
      const close = zonedInstant(y, m, d, minutesOf(w.end), ctx.timeZone);
      if (from < close) return from > open ? from : open;
    }
  }
  return null;
}

// ------------------------------------------------------------------ caps and quiet period

/**
 * When the rolling cap releases: null if fewer than `cap` attempts fall within the period before
 * `now`, else the instant the oldest counted attempt leaves the period.
 */
export function capReleaseAt(attempts: readonly Date[], now: Date, cap = CANVASSING_ATTEMPT_CAP, periodDays = CANVASSING_CAP_DAYS): Date | null {
  const periodMs = periodDays * DAY_MS;
  const recent = attempts.filter((a) => now.getTime() - a.getTime() < periodMs).sort((a, b) => b.getTime() - a.getTime());
  if (recent.length < cap) return null;
  return new Date(recent[cap - 1]!.getTime() + periodMs);
}

/** End of the quiet period after the last refusal, or null when none applies any more. */
export function quietUntil(lastRefusalAt: Date | null, now: Date, quietDays = REFUSAL_QUIET_DAYS): Date | null {
  if (!lastRefusalAt) return null;
  const end = new Date(lastRefusalAt.getTime() + quietDays * DAY_MS);
  return end > now ? end : null;
}

// ------------------------------------------------------------------ retries

export const retryOutcomes = ['no_answer', 'busy', 'voicemail', 'failed'] as const;
export type RetryOutcome = (typeof retryOutcomes)[number];

export interface RetryRules {
  /** Delay before the next attempt, per outcome, in minutes. */
  delayMinutes: Record<RetryOutcome, number>;
  /** Attempts per contact in this campaign before it is closed as exhausted. */
  maxAttempts: number;
}

export const DEFAULT_RETRY_RULES: RetryRules = {
  delayMinutes: { no_answer: 120, busy: 20, voicemail: 240, failed: 30 },
  maxAttempts: 4,
};

export type NextStep =
  | { kind: 'done' }
  | { kind: 'retry'; notBefore: Date }
  | { kind: 'exhausted' }
  | { kind: 'callback'; at: Date }
  | { kind: 'refused'; quietUntil: Date }
  | { kind: 'opt_out' }
  | { kind: 'untouched' };

/** Technical ends that give the contact back as if nothing happened (no attempt counted). */
export const untouchedOutcomes = ['offer_expired', 'offer_skipped', 'agent_disconnected', 'dial_refused'] as const;

/** What happens to the contact after an attempt ended with this outcome. */
export function nextStepAfter(
  outcome: string,
  opts: { now: Date; attemptsMade: number; rules: RetryRules; callbackAt?: Date | null },
): NextStep {
  if ((untouchedOutcomes as readonly string[]).includes(outcome)) return { kind: 'untouched' };
  if ((retryOutcomes as readonly string[]).includes(outcome)) {
    if (opts.attemptsMade >= opts.rules.maxAttempts) return { kind: 'exhausted' };
    return { kind: 'retry', notBefore: new Date(opts.now.getTime() + opts.rules.delayMinutes[outcome as RetryOutcome] * 60_000) };
  }
  if (outcome === 'callback') {
    if (!opts.callbackAt) throw new Error('callback outcome needs callbackAt');
    return { kind: 'callback', at: opts.callbackAt };
  }
  if (outcome === 'not_interested') return { kind: 'refused', quietUntil: new Date(opts.now.getTime() + REFUSAL_QUIET_DAYS * DAY_MS) };
  if (outcome === 'opt_out') return { kind: 'opt_out' };
  return { kind: 'done' };
}

// ------------------------------------------------------------------ next callable instant

export interface CallabilityInput extends CalleeContext {
  now: Date;
  type: CampaignType;
  /** Earliest instant set by a retry rule or a callback. */
  notBefore?: Date | null;
  /** Dialled attempts on this number for this partner (any campaign), for the rolling cap. */
  attempts?: readonly Date[];
  lastRefusalAt?: Date | null;
  /** Campaign dates (inclusive, in the callee's zone). */
  startsOn?: string | null;
  endsOn?: string | null;
}

/**
 * The first lawful instant ≥ now to call this contact, or null when none exists before the
 * campaign ends (or within the search horizon).
 */
export function nextCallableInstant(input: CallabilityInput): Date | null {
  const candidates = [input.now];
  if (input.notBefore) candidates.push(input.notBefore);
  if (isCanvassing(input.type)) {
    const cap = capReleaseAt(input.attempts ?? [], input.now);
    if (cap) candidates.push(cap);
    const quiet = quietUntil(input.lastRefusalAt ?? null, input.now);
    if (quiet) candidates.push(quiet);
  }
  if (input.startsOn) {
    const [y, m, d] = input.startsOn.split('-').map(Number) as [number, number, number];
    candidates.push(zonedInstant(y, m, d, 0, input.timeZone));
  }
  const from = new Date(Math.max(...candidates.map((c) => c.getTime())));
  const ctx = { ...input, skipHolidays: input.skipHolidays || isCanvassing(input.type) };
  const at = nextWindowOpening(from, ctx, 120);
  if (!at) return null;
  if (input.endsOn && localTime(at, input.timeZone).date > input.endsOn) return null;
  return at;
}
