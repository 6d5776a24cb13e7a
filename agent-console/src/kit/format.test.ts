import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDuration, formatNumber, parseSiteDateTime, siteLocalToIso } from './format.ts';

describe('site-time formatting', () => {
  it('shows instants in Guadeloupe time with French formats', () => {
    expect(formatDateTime('2026-11-29T18:05:09Z', 'fr')).toBe('29/11/2026 14:05:09');
    expect(formatNumber(12345.5, 'fr')).toBe('12\u202f345,5');
  });

  it('reads a datetime-local value as site time', () => {
    expect(siteLocalToIso('2026-11-29T14:05')).toBe('2026-11-29T18:05:00.000Z');
    expect(siteLocalToIso('2026-03-29T03:30', 'Europe/Paris')).toBe('2026-03-29T01:30:00.000Z');
    expect(siteLocalToIso('2026-07-01T00:00', 'Europe/Paris')).toBe('2026-06-30T22:00:00.000Z');
  });

  it('reads dates typed the French way', () => {
    expect(parseSiteDateTime('29/11/2026 14:05')).toBe('2026-11-29T18:05:00.000Z');
    expect(parseSiteDateTime(' 1/2/2026 9h30 ')).toBe('2026-02-01T13:30:00.000Z');
    expect(parseSiteDateTime('29/11/2026')).toBe('2026-11-29T04:00:00.000Z');
    for (const bad of ['2026-11-29', '31/02/2026', '29/13/2026', '29/11/2026 24:00', 'hier']) expect(parseSiteDateTime(bad)).toBeNull();
  });

  it('formats timers', () => {
    expect(formatDuration(0)).toBe('00:00');
    expect(formatDuration(75)).toBe('01:15');
    expect(formatDuration(3725)).toBe('1:02:05');
  });
});
