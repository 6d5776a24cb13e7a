import { describe, expect, it } from 'vitest';
import {
  capReleaseAt,
  DEFAULT_RETRY_RULES,
  defaultWindows,
  isWindowOpen,
  LEGAL_CANVASSING_WINDOWS,
  localTime,
  nextCallableInstant,
  nextStepAfter,
  nextWindowOpening,
  quietUntil,
  validateWindows,
  windowStatus,
  zonedInstant,
  type CalleeContext,
} from './calling-rules.ts';

const zones = {
  GP: 'America/Guadeloupe',
  MQ: 'America/Martinique',
  GF: 'America/Cayenne',
  RE: 'Indian/Reunion',
  YT: 'Indian/Mayotte',
  FR: 'Europe/Paris',
} as const;

const callee = (territory: keyof typeof zones): CalleeContext => ({
  territory,
  timeZone: zones[territory],
  windows: LEGAL_CANVASSING_WINDOWS,
  skipHolidays: true,
});

const at = (iso: string) => new Date(iso);

describe('canvassing windows in the callee’s zone', () => {
  // [territory, UTC instant, open?, why] — 2026-06-03 is an ordinary Wednesday.
  const cases: [keyof typeof zones, string, boolean, string][] = [
    ['GP', '2026-06-03T13:59:00Z', false, '09:59 in Guadeloupe (UTC−4)'],
    ['GP', '2026-06-03T14:00:00Z', true, '10:00 in Guadeloupe'],
    ['GP', '2026-06-03T16:59:00Z', true, '12:59 in Guadeloupe'],
    ['GP', '2026-06-03T17:00:00Z', false, '13:00 lunch break'],
    ['GP', '2026-06-03T17:59:00Z', false, '13:59 lunch break'],
    ['GP', '2026-06-03T18:00:00Z', true, '14:00 in Guadeloupe'],
    ['GP', '2026-06-03T23:59:00Z', true, '19:59 in Guadeloupe'],
    ['GP', '2026-06-04T00:00:00Z', false, '20:00 in Guadeloupe'],
    ['MQ', '2026-06-03T14:00:00Z', true, '10:00 in Martinique (UTC−4)'],
    ['MQ', '2026-06-03T13:30:00Z', false, '09:30 in Martinique'],
    ['GF', '2026-06-03T13:00:00Z', true, '10:00 in Guyane (UTC−3)'],
    ['GF', '2026-06-03T12:59:00Z', false, '09:59 in Guyane'],
    ['GF', '2026-06-03T23:00:00Z', false, '20:00 in Guyane'],
    ['RE', '2026-06-03T06:00:00Z', true, '10:00 in Réunion (UTC+4)'],
    ['RE', '2026-06-03T05:59:00Z', false, '09:59 in Réunion'],
    ['RE', '2026-06-03T16:00:00Z', false, '20:00 in Réunion'],
    ['YT', '2026-06-03T07:00:00Z', true, '10:00 in Mayotte (UTC+3)'],
    ['YT', '2026-06-03T06:59:00Z', false, '09:59 in Mayotte'],
    ['YT', '2026-06-03T16:59:00Z', true, '19:59 in Mayotte'],
    ['FR', '2026-06-03T08:00:00Z', true, '10:00 in Paris, summer time (UTC+2)'],
    ['FR', '2026-06-03T07:59:00Z', false, '09:59 in Paris, summer time'],
    ['FR', '2026-01-07T09:00:00Z', true, '10:00 in Paris, winter time (UTC+1)'],
    ['FR', '2026-01-07T08:30:00Z', false, '09:30 in Paris, winter time'],
    // DST edges: last Friday of winter time, first Monday of summer time, and back in October.
    ['FR', '2026-03-27T09:00:00Z', true, 'Fri 27 Mar 10:00 CET'],
    ['FR', '2026-03-27T08:30:00Z', false, 'Fri 27 Mar 09:30 CET'],
    ['FR', '2026-03-30T08:00:00Z', true, 'Mon 30 Mar 10:00 CEST'],
    ['FR', '2026-03-30T18:00:00Z', false, 'Mon 30 Mar 20:00 CEST'],
    ['FR', '2026-03-30T17:59:00Z', true, 'Mon 30 Mar 19:59 CEST'],
    ['FR', '2026-10-23T08:00:00Z', true, 'Fri 23 Oct 10:00 CEST'],
    ['FR', '2026-10-26T08:30:00Z', false, 'Mon 26 Oct 09:30 CET'],
    ['FR', '2026-10-26T09:00:00Z', true, 'Mon 26 Oct 10:00 CET'],
    ['FR', '2026-10-26T19:00:00Z', false, 'Mon 26 Oct 20:00 CET'],
  ];
  it.each(cases)('%s at %s → %s (%s)', (territory, instant, open) => {
    expect(isWindowOpen(at(instant), callee(territory))).toBe(open);
  });
});

describe('holidays and weekends', () => {
  const cases: [keyof typeof zones | 'MF' | 'BL', string, string, boolean][] = [
    // 27 May 2026 (Wednesday): abolition day in Guadeloupe, ordinary day in Paris and Martinique.
    ['GP', 'America/Guadeloupe', '2026-05-27T15:00:00Z', false],
    ['FR', 'Europe/Paris', '2026-05-27T09:00:00Z', true],
    ['MQ', 'America/Martinique', '2026-05-27T15:00:00Z', true],
    ['MF', 'America/Marigot', '2026-05-27T15:00:00Z', true],
    ['MF', 'America/Marigot', '2026-05-28T15:00:00Z', false],
    ['BL', 'America/St_Barthelemy', '2026-10-09T15:00:00Z', false],
    // 22 May 2026 (Friday): Martinique only.
    ['MQ', 'America/Martinique', '2026-05-22T15:00:00Z', false],
    ['GP', 'America/Guadeloupe', '2026-05-22T15:00:00Z', true],
    // 10 June 2026 (Wednesday): Guyane only.
    ['GF', 'America/Cayenne', '2026-06-10T15:00:00Z', false],
    ['GP', 'America/Guadeloupe', '2026-06-10T15:00:00Z', true],
    // 20 December 2027 (Monday): Réunion only.
    ['RE', 'Indian/Reunion', '2027-12-20T08:00:00Z', false],
    ['YT', 'Indian/Mayotte', '2027-12-20T08:00:00Z', true],
    // 27 April 2026 (Monday): Mayotte only.
    ['YT', 'Indian/Mayotte', '2026-04-27T08:00:00Z', false],
    ['RE', 'Indian/Reunion', '2026-04-27T08:00:00Z', true],
    // Paris holidays: 14 July (Tuesday), Whit Monday 25 May 2026, Ascension 14 May 2026, Easter Monday 6 April 2026.
    ['FR', 'Europe/Paris', '2026-07-14T09:00:00Z', false],
    ['FR', 'Europe/Paris', '2026-05-25T09:00:00Z', false],
    ['FR', 'Europe/Paris', '2026-05-14T09:00:00Z', false],
    ['FR', 'Europe/Paris', '2026-04-06T09:00:00Z', false],
    ['FR', 'Europe/Paris', '2026-07-15T09:00:00Z', true],
    // National holidays apply overseas too.
    ['GP', 'America/Guadeloupe', '2026-07-14T15:00:00Z', false],
    ['GP', 'America/Guadeloupe', '2026-07-21T15:00:00Z', false],
    // Weekend: Saturday 6 and Sunday 7 June 2026.
    ['FR', 'Europe/Paris', '2026-06-06T09:00:00Z', false],
    ['GP', 'America/Guadeloupe', '2026-06-07T15:00:00Z', false],
  ];
  it.each(cases)('%s (%s) at %s → %s', (territory, timeZone, instant, open) => {
    expect(isWindowOpen(at(instant), { territory, timeZone, windows: LEGAL_CANVASSING_WINDOWS, skipHolidays: true })).toBe(open);
  });

  it('a holiday is judged on the callee’s local date, not UTC', () => {
    // 20:30 Paris on 26 May = 14:30 Guadeloupe on 26 May: an ordinary Tuesday in Guadeloupe.
    expect(windowStatus(at('2026-05-26T18:30:00Z'), callee('GP'))).toEqual({ open: true });
    // 02:00 UTC on 28 May is still 27 May (22:00) in Guadeloupe.
    expect(localTime(at('2026-05-28T02:00:00Z'), 'America/Guadeloupe').date).toBe('2026-05-27');
  });

  it('reports why the window is closed', () => {
    expect(windowStatus(at('2026-05-27T15:00:00Z'), callee('GP'))).toEqual({ open: false, reason: 'holiday' });
    expect(windowStatus(at('2026-06-06T09:00:00Z'), callee('FR'))).toEqual({ open: false, reason: 'weekend_or_day' });
    expect(windowStatus(at('2026-06-03T11:30:00Z'), callee('FR'))).toEqual({ open: false, reason: 'outside_hours' });
  });
});

describe('next window opening', () => {
  const cases: [keyof typeof zones, string, string][] = [
    ['GP', '2026-06-03T12:00:00Z', '2026-06-03T14:00:00Z'], // 08:00 → 10:00 same day
    ['GP', '2026-06-03T17:30:00Z', '2026-06-03T18:00:00Z'], // lunch → 14:00
    ['GP', '2026-06-03T15:00:00Z', '2026-06-03T15:00:00Z'], // open now → now
    ['GP', '2026-05-27T00:00:00Z', '2026-05-28T14:00:00Z'], // Tue 20:00 → skip 27 May → Thu 10:00
    ['GP', '2026-06-05T00:30:00Z', '2026-06-05T14:00:00Z'], // Thu 4 June 20:30 local → Fri 10:00
    ['FR', '2026-03-27T19:00:00Z', '2026-03-30T08:00:00Z'], // Fri 20:00 CET → Mon 10:00 CEST across DST
    ['FR', '2026-10-23T18:00:00Z', '2026-10-26T09:00:00Z'], // Fri 20:00 CEST → Mon 10:00 CET
    ['RE', '2027-12-17T16:00:00Z', '2027-12-21T06:00:00Z'], // Fri 20:00 → weekend, 20 Dec holiday → Tue 10:00
    ['FR', '2026-07-13T18:00:00Z', '2026-07-15T08:00:00Z'], // Mon 20:00 → 14 July → Wed
  ];
  it.each(cases)('%s from %s → %s', (territory, from, expected) => {
    expect(nextWindowOpening(at(from), callee(territory))?.toISOString()).toBe(at(expected).toISOString());
  });

  it('converts local wall-clock times with the zone’s offset on that date', () => {
    expect(zonedInstant(2026, 3, 30, 600, 'Europe/Paris').toISOString()).toBe('2026-03-30T08:00:00.000Z');
    expect(zonedInstant(2026, 3, 27, 600, 'Europe/Paris').toISOString()).toBe('2026-03-27T09:00:00.000Z');
    expect(zonedInstant(2026, 6, 3, 600, 'Indian/Reunion').toISOString()).toBe('2026-06-03T06:00:00.000Z');
  });
});

describe('campaign windows never wider than the law', () => {
  const cases: [string, 'appointment' | 'loyalty' | 'after_sales', { days: number[]; start: string; end: string }[], number][] = [
    ['legal default', 'appointment', defaultWindows('appointment'), 0],
    ['narrower', 'loyalty', [{ days: [1, 2], start: '10:30', end: '12:00' }], 0],
    ['across lunch', 'appointment', [{ days: [1], start: '10:00', end: '20:00' }], 1],
    ['too early', 'appointment', [{ days: [1], start: '09:00', end: '12:00' }], 1],
    ['too late', 'loyalty', [{ days: [1], start: '14:00', end: '20:30' }], 1],
    ['Saturday', 'appointment', [{ days: [6], start: '10:00', end: '12:00' }], 1],
    ['bad time', 'appointment', [{ days: [1], start: '25:00', end: '26:00' }], 1],
    ['reversed', 'appointment', [{ days: [1], start: '12:00', end: '11:00' }], 1],
    ['empty', 'appointment', [], 1],
    ['after-sales Saturday', 'after_sales', [{ days: [6], start: '08:00', end: '12:00' }], 0],
    ['after-sales 21:30', 'after_sales', [{ days: [1], start: '18:00', end: '21:30' }], 1],
    ['after-sales Sunday', 'after_sales', [{ days: [7], start: '10:00', end: '12:00' }], 1],
  ];
  it.each(cases)('%s', (_name, type, windows, errors) => {
    expect(validateWindows(type, windows)).toHaveLength(errors);
  });
});

describe('attempt cap over a rolling 30 days', () => {
  const now = at('2026-06-30T12:00:00Z');
  const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);
  it('allows a fourth attempt and blocks the fifth until the oldest leaves the period', () => {
    expect(capReleaseAt([daysAgo(1), daysAgo(5), daysAgo(10)], now)).toBeNull();
    const four = [daysAgo(1), daysAgo(5), daysAgo(10), daysAgo(29)];
    expect(capReleaseAt(four, now)?.toISOString()).toBe(at('2026-07-01T12:00:00Z').toISOString());
  });
  it('forgets attempts older than 30 days', () => {
    expect(capReleaseAt([daysAgo(1), daysAgo(2), daysAgo(3), daysAgo(30), daysAgo(45)], now)).toBeNull();
  });
  it('with six recent attempts, waits for the fourth most recent to age out', () => {
    const six = [daysAgo(1), daysAgo(2), daysAgo(3), daysAgo(4), daysAgo(20), daysAgo(25)];
    expect(capReleaseAt(six, now)?.toISOString()).toBe(new Date(daysAgo(4).getTime() + 30 * 86_400_000).toISOString());
  });
  it('pushes the next callable instant past the release, into a window', () => {
    const four = [daysAgo(1), daysAgo(5), daysAgo(10), daysAgo(29)];
    // Release Wed 1 July 12:00 UTC = 08:00 Guadeloupe → 10:00 local.
    const next = nextCallableInstant({ ...callee('GP'), now, type: 'appointment', attempts: four });
    expect(next?.toISOString()).toBe('2026-07-01T14:00:00.000Z');
  });
  it('does not cap after-sales calls', () => {
    const four = [daysAgo(1), daysAgo(5), daysAgo(10), daysAgo(29)];
    const next = nextCallableInstant({ territory: 'GP', timeZone: zones.GP, windows: defaultWindows('after_sales'), skipHolidays: true, now, type: 'after_sales', attempts: four });
    expect(next?.toISOString()).toBe('2026-06-30T13:00:00.000Z'); // 09:00 local, service hours
  });
});

describe('quiet period of 60 days after a refusal', () => {
  const now = at('2026-06-30T15:00:00Z'); // Tue 11:00 Guadeloupe
  it('blocks for 60 days then lets the contact be called again', () => {
    expect(quietUntil(at('2026-05-01T15:00:00Z'), now)).toBeNull(); // exactly 60 days ago
    expect(quietUntil(at('2026-05-02T15:00:00Z'), now)?.toISOString()).toBe('2026-07-01T15:00:00.000Z');
    expect(quietUntil(at('2026-04-30T15:00:00Z'), now)).toBeNull();
    expect(quietUntil(null, now)).toBeNull();
  });
  it('schedules the contact at the first window after the quiet period', () => {
    const next = nextCallableInstant({ ...callee('GP'), now, type: 'loyalty', lastRefusalAt: at('2026-05-02T15:00:00Z') });
    expect(next?.toISOString()).toBe('2026-07-01T15:00:00.000Z');
    const later = nextCallableInstant({ ...callee('GP'), now, type: 'loyalty', lastRefusalAt: at('2026-05-10T15:00:00Z') });
    // 9 July 15:00 UTC is a Thursday 11:00 local.
    expect(later?.toISOString()).toBe('2026-07-09T15:00:00.000Z');
  });
  it('refusal outcome yields the 60-day quiet period', () => {
    expect(nextStepAfter('not_interested', { now, attemptsMade: 1, rules: DEFAULT_RETRY_RULES })).toEqual({
      kind: 'refused',
      quietUntil: new Date(now.getTime() + 60 * 86_400_000),
    });
  });
});

describe('retry timing per outcome', () => {
  const now = at('2026-06-03T15:00:00Z');
  const cases: [string, number, string][] = [
    ['no_answer', 1, '2026-06-03T17:00:00.000Z'],
    ['busy', 1, '2026-06-03T15:20:00.000Z'],
    ['voicemail', 2, '2026-06-03T19:00:00.000Z'],
    ['failed', 3, '2026-06-03T15:30:00.000Z'],
  ];
  it.each(cases)('%s after attempt %i → retry at %s', (outcome, attemptsMade, expected) => {
    const step = nextStepAfter(outcome, { now, attemptsMade, rules: DEFAULT_RETRY_RULES });
    expect(step).toEqual({ kind: 'retry', notBefore: new Date(expected) });
  });
  it('closes the contact once the campaign’s max attempts are reached', () => {
    expect(nextStepAfter('no_answer', { now, attemptsMade: 4, rules: DEFAULT_RETRY_RULES })).toEqual({ kind: 'exhausted' });
  });
  it('honours edited rules', () => {
    const rules = { delayMinutes: { ...DEFAULT_RETRY_RULES.delayMinutes, busy: 5 }, maxAttempts: 2 };
    expect(nextStepAfter('busy', { now, attemptsMade: 1, rules })).toEqual({ kind: 'retry', notBefore: new Date('2026-06-03T15:05:00Z') });
    expect(nextStepAfter('busy', { now, attemptsMade: 2, rules })).toEqual({ kind: 'exhausted' });
  });
  it('maps every other outcome', () => {
    const opts = { now, attemptsMade: 1, rules: DEFAULT_RETRY_RULES };
    expect(nextStepAfter('appointment', opts)).toEqual({ kind: 'done' });
    expect(nextStepAfter('wrong_number', opts)).toEqual({ kind: 'done' });
    expect(nextStepAfter('opt_out', opts)).toEqual({ kind: 'opt_out' });
    expect(nextStepAfter('offer_expired', opts)).toEqual({ kind: 'untouched' });
    expect(nextStepAfter('callback', { ...opts, callbackAt: now })).toEqual({ kind: 'callback', at: now });
  });
  it('a retry that lands outside the window waits for the next opening', () => {
    // busy at 19:50 Guadeloupe → +20 min = 20:10 → next day 10:00.
    const late = at('2026-06-03T23:50:00Z');
    const step = nextStepAfter('busy', { now: late, attemptsMade: 1, rules: DEFAULT_RETRY_RULES });
    if (step.kind !== 'retry') throw new Error('expected retry');
    expect(nextCallableInstant({ ...callee('GP'), now: late, type: 'appointment', notBefore: step.notBefore })?.toISOString()).toBe('2026-06-04T14:00:00.000Z');
  });
  it('returns null after the campaign’s end date', () => {
    expect(nextCallableInstant({ ...callee('GP'), now: at('2026-06-06T00:30:00Z'), type: 'appointment', endsOn: '2026-06-05' })).toBeNull();
  });
});
