import { useTranslation } from 'react-i18next';
import { zonedInstant } from '@passerelle/shared/calling-rules';

/** Times are shown in the site's zone, whatever the workstation's clock says. */
export const SITE_TIME_ZONE = 'America/Guadeloupe';

const localeTag = (language: string) => (language.startsWith('en') ? 'en-GB' : 'fr-FR');

type DateInput = string | number | Date;
const toDate = (value: DateInput) => (value instanceof Date ? value : new Date(value));

export function formatDateTime(value: DateInput, language: string): string {
  return new Intl.DateTimeFormat(localeTag(language), {
    timeZone: SITE_TIME_ZONE,
    dateStyle: 'short',
    timeStyle: 'medium',
  }).format(toDate(value));
}

export function formatLongDate(value: DateInput, language: string): string {
  return new Intl.DateTimeFormat(localeTag(language), {
    timeZone: SITE_TIME_ZONE,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(toDate(value));
}

export function formatTime(value: DateInput, language: string): string {
  return new Intl.DateTimeFormat(localeTag(language), { timeZone: SITE_TIME_ZONE, timeStyle: 'short' }).format(toDate(value));
}

export function formatNumber(value: number, language: string): string {
  return new Intl.NumberFormat(localeTag(language)).format(value);
}

/** 75 → "01:15", 3725 → "1:02:05" (a timer, not a locale-dependent quantity). */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** A `datetime-local` value ("2026-11-29T14:30") read as site time, as an ISO instant (UTC). */
export function siteLocalToIso(local: string, timeZone = SITE_TIME_ZONE): string {
  const [date = '', time = '00:00'] = local.split('T');
  const [y, m, d] = date.split('-').map(Number);
  const [hh = 0, mm = 0, ss = 0] = time.split(':').map(Number);
  return zonedInstant(y!, m!, d!, hh * 60 + mm + ss / 60, timeZone).toISOString();
}

/**
 * A date typed the French way, "29/11/2026" or "29/11/2026 14:30" (also "14h30"), read as site
 * time; the ISO instant, or null when the text is not such a date. Native date pickers follow the
 * workstation's language, so consoles use this instead to stay French everywhere.
 */
export function parseSiteDateTime(text: string, timeZone = SITE_TIME_ZONE): string | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2})[:h](\d{2}))?$/.exec(text.trim());
  if (!m) return null;
  const [day, month, year, hour = 0, minute = 0] = m.slice(1).map((v) => (v === undefined ? undefined : Number(v)));
  if (month! < 1 || month! > 12 || day! < 1 || hour! > 23 || minute! > 59) return null;
  if (new Date(Date.UTC(year!, month! - 1, day!)).getUTCDate() !== day) return null;
  const pad = (n: number) => String(n).padStart(2, '0');
  return siteLocalToIso(`${year}-${pad(month!)}-${pad(day!)}T${pad(hour!)}:${pad(minute!)}`, timeZone);
}

/** The formatters bound to the current UI language. */
export function useFormat() {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return {
    dateTime: (v: DateInput) => formatDateTime(v, lang),
    longDate: (v: DateInput) => formatLongDate(v, lang),
    time: (v: DateInput) => formatTime(v, lang),
    number: (v: number) => formatNumber(v, lang),
    duration: formatDuration,
  };
}
