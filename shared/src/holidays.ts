/**
 * French public holidays per callee territory (jours fériés).
 *
 * Sources:
 * - Code du travail art. L3133-1: the 11 national holidays (1 Jan, Easter Monday, 1 May, 8 May,
 *   Ascension, Whit Monday, 14 July, 15 Aug, 1 Nov, 11 Nov, 25 Dec).
 * - Code du travail art. L3422-2 + loi n° 83-550 du 30 juin 1983 and décret n° 83-1003 du
 *   23 novembre 1983 (abolition of slavery, dates per territory): Guadeloupe 27 May, Martinique
 *   22 May, Guyane 10 June, La Réunion 20 December, Mayotte 27 April; Saint-Martin 28 May
 *   (décret n° 2018-1142), Saint-Barthélemy 9 October.
 * - Guadeloupe and Martinique also keep 21 July (fête de Victor Schœlcher) as a local public holiday;
 *   it is included because skipping a doubtful day only delays calls, never breaks the law.
 * Customary days (Mardi gras, Ash Wednesday, Good Friday outside Alsace-Moselle) are not public
 * holidays and are not listed; Alsace-Moselle's extra days need a department, which a number lacks.
 */

export type HolidayTerritory = 'FR' | 'GP' | 'MQ' | 'GF' | 'RE' | 'YT' | 'MF' | 'BL';

export interface Holiday {
  /** Local calendar date, YYYY-MM-DD. */
  date: string;
  name: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

/** Easter Sunday (Gregorian), anonymous algorithm (Meeus/Jones/Butcher). Returns [month, day]. */
export function easterSunday(year: number): [number, number] {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return [month, day];
}

function plusDays(year: number, month: number, day: number, days: number): string {
  const t = new Date(Date.UTC(year, month - 1, day + days));
  return iso(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

const abolition: Record<Exclude<HolidayTerritory, 'FR'>, [number, number]> = {
  GP: [5, 27],
  MQ: [5, 22],
  GF: [6, 10],
  RE: [12, 20],
  YT: [4, 27],
  MF: [5, 28],
  BL: [10, 9],
};

const cache = new Map<string, Map<string, string>>();

/** Every public holiday of the year in the territory, sorted by date. */
export function holidaysFor(territory: string, year: number): Holiday[] {
  return [...holidayMap(territory, year)].map(([date, name]) => ({ date, name })).sort((a, b) => a.date.localeCompare(b.date));
}

function holidayMap(territory: string, year: number): Map<string, string> {
  const key = `${territory}:${year}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const [em, ed] = easterSunday(year);
  const days = new Map<string, string>([
    [iso(year, 1, 1), 'Jour de l’an'],
    [plusDays(year, em, ed, 1), 'Lundi de Pâques'],
    [iso(year, 5, 1), 'Fête du Travail'],
    [iso(year, 5, 8), 'Victoire 1945'],
    [plusDays(year, em, ed, 39), 'Ascension'],
    [plusDays(year, em, ed, 50), 'Lundi de Pentecôte'],
    [iso(year, 7, 14), 'Fête nationale'],
    [iso(year, 8, 15), 'Assomption'],
    [iso(year, 11, 1), 'Toussaint'],
    [iso(year, 11, 11), 'Armistice 1918'],
    [iso(year, 12, 25), 'Noël'],
  ]);
  if (territory in abolition) {
    const [m, d] = abolition[territory as keyof typeof abolition];
    days.set(iso(year, m, d), 'Abolition de l’esclavage');
  }
  if (territory === 'GP' || territory === 'MQ') days.set(iso(year, 7, 21), 'Fête de Victor Schœlcher');
  cache.set(key, days);
  return days;
}

/** The holiday's name when the local date (YYYY-MM-DD) is a public holiday in the territory. */
export function holidayOn(territory: string, localDate: string): string | null {
  const year = Number(localDate.slice(0, 4));
  return holidayMap(territory, year).get(localDate) ?? null;
}
