/** Parsing of the non-phone values partners put in their files (French conventions first). */

const YES = new Set(['oui', 'o', 'yes', 'y', '1', 'true', 'vrai', 'x', 'ok', 'actif', 'active', 'en cours', 'encours']);

export function isYes(value: string | undefined): boolean {
  if (!value) return false;
  return YES.has(value.normalize('NFD').replace(/[\u0300-\u036f]/g, '').trim().toLowerCase());
}

const FRENCH = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?Z?)?$/;

/**
 * `31/12/1980`, `31-12-1980`, `31.12.1980 14:30`, `1980-12-31`, `1980-12-31T14:30:00` → a UTC Date.
 * Day first (French files); two-digit years are refused rather than guessed. Null when not a real date.
 */
export function parseDate(value: string): Date | null {
  const text = value.trim();
  let parts: (string | undefined)[] | null = null;
  const fr = FRENCH.exec(text);
  if (fr) parts = [fr[3], fr[2], fr[1], fr[4], fr[5], fr[6]];
  const iso = fr ? null : ISO.exec(text);
  if (iso) parts = [iso[1], iso[2], iso[3], iso[4], iso[5], iso[6]];
  if (!parts) return null;
  const [y, m, d, hh, mm, ss] = parts.map((p) => (p === undefined ? 0 : Number(p))) as number[];
  const date = new Date(Date.UTC(y!, m! - 1, d!, hh, mm, ss));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m! - 1 || date.getUTCDate() !== d) return null;
  if (hh! > 23 || mm! > 59 || ss! > 59) return null;
  return date;
}

const LANGUAGES: Record<string, string> = {
  fr: 'fr', francais: 'fr', french: 'fr', fra: 'fr',
  en: 'en', anglais: 'en', english: 'en', eng: 'en',
  es: 'es', espagnol: 'es', spanish: 'es',
  gcf: 'gcf', creole: 'gcf', 'creole guadeloupeen': 'gcf', 'creole martiniquais': 'gcf',
  ht: 'ht', 'creole haitien': 'ht',
  pt: 'pt', portugais: 'pt',
};

/** Contact language code; anything unknown falls back to French. */
export function parseLanguage(value: string | undefined): string {
  if (!value) return 'fr';
  const key = value.normalize('NFD').replace(/[\u0300-\u036f]/g, '').trim().toLowerCase();
  return LANGUAGES[key] ?? 'fr';
}

/** A raw value for the error report without revealing it: `06••••78`, `Ma••••ie`. */
export function maskRaw(value: string | undefined): string {
  const chars = Array.from((value ?? '').replace(/[\p{Cc}\p{Cf}]/gu, ' ').trim());
  if (chars.length === 0) return '';
  if (chars.length <= 6) return '•'.repeat(chars.length);
  return `${chars.slice(0, 2).join('')}••••${chars.slice(-2).join('')}`;
}
