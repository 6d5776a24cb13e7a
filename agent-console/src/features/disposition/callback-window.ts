import { isCanvassing, LEGAL_CANVASSING_WINDOWS, defaultWindows, localTime, nextWindowOpening, windowStatus, zonedInstant, type CalleeContext, type CampaignType, type ClosedReason } from '@passerelle/shared/calling-rules';

/** How far ahead a callback may be set. */
export const CALLBACK_HORIZON_DAYS = 30;

/** The callee's calling rules; without the campaign type, the strictest (canvassing) apply. */
export function calleeContext(type: CampaignType | null, place: { timeZone: string; territory: string }): CalleeContext {
  return {
    timeZone: place.timeZone,
    territory: place.territory,
    windows: type ? defaultWindows(type) : LEGAL_CANVASSING_WINDOWS.map((w) => ({ ...w, days: [...w.days] })),
    skipHolidays: type ? isCanvassing(type) : true,
  };
}

/** `2026-12-01T10:30` typed in the callee's zone → instant; null when malformed. */
export function localInputToInstant(value: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  return zonedInstant(y, mo, d, h * 60 + mi, timeZone);
}

export function instantToLocalInput(instant: Date, timeZone: string): string {
  const l = localTime(instant, timeZone);
  const hh = String(Math.floor(l.minutes / 60)).padStart(2, '0');
  const mm = String(l.minutes % 60).padStart(2, '0');
  return `${l.date}T${hh}:${mm}`;
}

export type CallbackCheck = { ok: true } | { ok: false; reason: ClosedReason | 'past' | 'too_far'; suggestion: Date | null };

/** Whether a callback at `at` is lawful for this callee, and the next lawful time if not. */
export function checkCallback(at: Date, now: Date, ctx: CalleeContext): CallbackCheck {
  const horizon = new Date(now.getTime() + CALLBACK_HORIZON_DAYS * 86_400_000);
  if (at.getTime() <= now.getTime() + 60_000) return { ok: false, reason: 'past', suggestion: nextWindowOpening(new Date(now.getTime() + 5 * 60_000), ctx, CALLBACK_HORIZON_DAYS) };
  if (at > horizon) return { ok: false, reason: 'too_far', suggestion: null };
  const status = windowStatus(at, ctx);
  if (status.open) return { ok: true };
  const next = nextWindowOpening(at, ctx, CALLBACK_HORIZON_DAYS);
  return { ok: false, reason: status.reason, suggestion: next && next <= horizon ? next : null };
}
