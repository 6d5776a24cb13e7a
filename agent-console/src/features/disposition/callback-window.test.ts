import { describe, expect, it } from 'vitest';
import { calleeContext, checkCallback, instantToLocalInput, localInputToInstant } from './callback-window.ts';

const gp = { timeZone: 'America/Guadeloupe', territory: 'GP' };
// Monday 30 November 2026, 09:00 in Guadeloupe (UTC−4).
const now = new Date('2026-11-30T13:00:00Z');

describe('callback window', () => {
  it('round-trips the local input in the callee’s zone', () => {
    const at = localInputToInstant('2026-11-30T15:30', gp.timeZone)!;
    expect(at.toISOString()).toBe('2026-11-30T19:30:00.000Z');
    expect(instantToLocalInput(at, gp.timeZone)).toBe('2026-11-30T15:30');
    expect(localInputToInstant('30/11/2026 15:30', gp.timeZone)).toBeNull();
  });

  it('accepts a time inside the legal canvassing windows', () => {
    expect(checkCallback(localInputToInstant('2026-11-30T15:30', gp.timeZone)!, now, calleeContext('appointment', gp))).toEqual({ ok: true });
  });

  it('refuses the lunch break, evenings and Sundays with the next lawful time', () => {
    const ctx = calleeContext('appointment', gp);
    const lunch = checkCallback(localInputToInstant('2026-11-30T13:30', gp.timeZone)!, now, ctx);
    expect(lunch).toMatchObject({ ok: false, reason: 'outside_hours' });
    expect(instantToLocalInput((lunch as { suggestion: Date }).suggestion, gp.timeZone)).toBe('2026-11-30T14:00');
    const sunday = checkCallback(localInputToInstant('2026-12-06T11:00', gp.timeZone)!, now, ctx);
    expect(sunday).toMatchObject({ ok: false, reason: 'weekend_or_day' });
    expect(instantToLocalInput((sunday as { suggestion: Date }).suggestion, gp.timeZone)).toBe('2026-12-07T10:00');
  });

  it('refuses a holiday of the callee’s territory for canvassing, not for after-sales', () => {
    const christmas = localInputToInstant('2026-12-25T11:00', gp.timeZone)!;
    expect(checkCallback(christmas, now, calleeContext('loyalty', gp))).toMatchObject({ ok: false, reason: 'holiday' });
    expect(checkCallback(christmas, now, calleeContext('after_sales', gp))).toEqual({ ok: true });
  });

  it('refuses the past and the far future', () => {
    const ctx = calleeContext('after_sales', gp);
    expect(checkCallback(new Date('2026-11-30T12:00:00Z'), now, ctx)).toMatchObject({ ok: false, reason: 'past' });
    expect(checkCallback(new Date('2027-03-01T14:00:00Z'), now, ctx)).toMatchObject({ ok: false, reason: 'too_far', suggestion: null });
  });
});
