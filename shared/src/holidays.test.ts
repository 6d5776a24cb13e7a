import { describe, expect, it } from 'vitest';
import { easterSunday, holidayOn, holidaysFor } from './holidays.ts';

describe('holidays', () => {
  it.each([
    [2024, [3, 31]],
    [2025, [4, 20]],
    [2026, [4, 5]],
    [2027, [3, 28]],
    [2038, [4, 25]],
  ])('Easter %i', (year, expected) => {
    expect(easterSunday(year)).toEqual(expected);
  });

  it('computes the movable feasts from Easter', () => {
    expect(holidayOn('FR', '2026-04-06')).toBe('Lundi de Pâques');
    expect(holidayOn('FR', '2026-05-14')).toBe('Ascension');
    expect(holidayOn('FR', '2026-05-25')).toBe('Lundi de Pentecôte');
    expect(holidayOn('FR', '2026-04-03')).toBeNull(); // Good Friday: not a public holiday
  });

  it.each([
    ['GP', '05-27'],
    ['MQ', '05-22'],
    ['GF', '06-10'],
    ['RE', '12-20'],
    ['YT', '04-27'],
    ['MF', '05-28'],
    ['BL', '10-09'],
  ])('abolition day in %s on %s, and nowhere else', (territory, monthDay) => {
    expect(holidayOn(territory, `2026-${monthDay}`)).toBe('Abolition de l’esclavage');
    expect(holidayOn('FR', `2026-${monthDay}`)).toBeNull();
  });

  it('lists 11 national holidays in Paris and 13 in Guadeloupe', () => {
    expect(holidaysFor('FR', 2026)).toHaveLength(11);
    expect(holidaysFor('GP', 2026)).toHaveLength(13);
    expect(holidaysFor('RE', 2026)).toHaveLength(12);
  });
});
