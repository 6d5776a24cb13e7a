import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';

/**
 * Phone normalization for partner files (DESIGN.md §8).
 *
 * Decisions (documented here because tests and the import report rely on them):
 * - A number written with a country code (+590, 00590, +33, tel:+262...) keeps it.
 * - A national number (0690..., 690...) is read in the campaign's default region first. France and
 *   its overseas departments share ONE national 10-digit plan (0590/0690 Guadeloupe, 0596/0696
 *   Martinique, 0594/0694 Guyane, 0262/0692 Réunion, 0269/0639 Mayotte), so when the number is not
 *   valid in the default region we try the other regions of that plan and accept the single one
 *   where it is valid. Several matches → `unknown_region` (ambiguous); none → `invalid`.
 * - +590 covers Guadeloupe, Saint-Martin (MF) and Saint-Barthélemy (BL): libphonenumber cannot tell
 *   them apart reliably (0590 87 Saint-Martin comes back as BL), and all three share UTC−4 with no
 *   DST, so they map to territory `GP` / America/Guadeloupe.
 * - A valid number outside the supported territories (+1, +508 Saint-Pierre, +687...) → `unknown_region`.
 * - `not_dialable`: numbers an outbound campaign must not (or cannot usefully) call: premium rate
 *   (08 9x), shared cost (08 1x/08 2x), toll-free (0800–0805: business inbound lines, never a
 *   customer's own line), personal/UAN/pager/voicemail numbers, and short/special service numbers
 *   (15, 17, 112, 3xxx, 118xxx). 09 "box" numbers (VOIP) ARE dialable: many households use them.
 */

export const TERRITORIES = ['GP', 'MQ', 'GF', 'RE', 'YT', 'FR'] as const;
export type Territory = (typeof TERRITORIES)[number];

export type PhoneKind = 'mobile' | 'fixed' | 'fixed_or_mobile' | 'voip';

export type PhoneRejectReason = 'invalid' | 'not_dialable' | 'unknown_region';

export type NormalizedPhone =
  | { ok: true; e164: string; territory: Territory; timeZone: string; kind: PhoneKind }
  | { ok: false; reason: PhoneRejectReason };

const TIME_ZONES: Record<Territory, string> = {
  GP: 'America/Guadeloupe',
  MQ: 'America/Martinique',
  GF: 'America/Cayenne',
  RE: 'Indian/Reunion',
  YT: 'Indian/Mayotte',
  FR: 'Europe/Paris',
};

/** libphonenumber region → our territory (MF/BL fold into GP, see above). */
const REGION_TERRITORY: Partial<Record<string, Territory>> = {
  GP: 'GP',
  MF: 'GP',
  BL: 'GP',
  MQ: 'MQ',
  GF: 'GF',
  RE: 'RE',
  YT: 'YT',
  FR: 'FR',
};

/** Regions of the French national numbering plan, tried for national numbers. */
const FRENCH_PLAN: readonly CountryCode[] = ['FR', 'GP', 'MQ', 'GF', 'RE', 'YT'];

const KINDS: Partial<Record<string, PhoneKind>> = {
  MOBILE: 'mobile',
  FIXED_LINE: 'fixed',
  FIXED_LINE_OR_MOBILE: 'fixed_or_mobile',
  VOIP: 'voip',
};

const SHORT_NUMBER = /^(?:1\d{1,5}|3\d{3})$/;
const ALLOWED_CHARS = /^[\d\s.\-/()+]*$/;

export function territoryTimeZone(territory: string): string | null {
  return (TIME_ZONES as Record<string, string>)[territory] ?? null;
}

export function isTerritory(value: string): value is Territory {
  return (TERRITORIES as readonly string[]).includes(value);
}

function classify(parsed: PhoneNumber): NormalizedPhone {
  const territory = parsed.country ? REGION_TERRITORY[parsed.country] : undefined;
  if (!territory) return { ok: false, reason: 'unknown_region' };
  const type = parsed.getType();
  const kind = type ? KINDS[type] : undefined;
  if (!kind) return { ok: false, reason: 'not_dialable' };
  return { ok: true, e164: parsed.number, territory, timeZone: TIME_ZONES[territory], kind };
}

function parseIn(text: string, region: CountryCode | undefined): PhoneNumber | undefined {
  const parsed = parsePhoneNumberFromString(text, region);
  return parsed?.isValid() ? parsed : undefined;
}

/**
 * Memo of results by "how the number was read + its first significant digits + its length".
 * Exact because every number pattern of the French plan's metadata (FR, GP, MF, BL, MQ, GF, RE, YT)
 * is a prefix of at most 6 digits followed by `\d{n}`; phone.test.ts checks it against the
 * uncached path. Imports parse millions of numbers: this skips libphonenumber for nearly all.
 */
type Memo = { ok: true; prefix: string; territory: Territory; timeZone: string; kind: PhoneKind } | { ok: false; reason: PhoneRejectReason };
const memo = new Map<string, Memo>();
const MEMO_MAX = 100_000;

export function normalizePhone(raw: string, defaultRegion: string): NormalizedPhone {
  const text = cleanInput(raw);
  if (typeof text !== 'string') return text;
  const digits = text.replace(/\D/g, '');
  const international = text.startsWith('+') || digits.startsWith('00');
  const significant = international ? digits.replace(/^00/, '') : digits.replace(/^0/, '');
  // 6 significant digits after the country code (up to 3 digits) when there is one.
  const head = significant.slice(0, international || significant.length > 9 ? 9 : 6);
  const key = `${international ? '+' : defaultRegion.toUpperCase()}:${head}:${significant.length}`;
  const hit = memo.get(key);
  if (hit) return hit.ok ? { ok: true, e164: hit.prefix + significant, territory: hit.territory, timeZone: hit.timeZone, kind: hit.kind } : hit;
  const result = normalizeCleaned(text, digits, international, defaultRegion);
  if (!result.ok) memo.set(key, result);
  else if (result.e164.endsWith(significant)) {
    memo.set(key, { ok: true, prefix: result.e164.slice(0, result.e164.length - significant.length), territory: result.territory, timeZone: result.timeZone, kind: result.kind });
  }
  if (memo.size > MEMO_MAX) memo.clear();
  return result;
}

/** Same answer as normalizePhone, always through libphonenumber (the reference for the memo). */
export function normalizePhoneExact(raw: string, defaultRegion: string): NormalizedPhone {
  const text = cleanInput(raw);
  if (typeof text !== 'string') return text;
  const digits = text.replace(/\D/g, '');
  return normalizeCleaned(text, digits, text.startsWith('+') || digits.startsWith('00'), defaultRegion);
}

/** The number's text without decoration, or the verdict when it is not a plausible number at all. */
function cleanInput(raw: string): string | NormalizedPhone {
  let text = raw.trim();
  if (text.toLowerCase().startsWith('tel:')) text = text.slice(4);
  // "+33 (0)6 ..." : the bracketed trunk zero is a French habit, not part of the number.
  text = text.replace(/\(\s*0\s*\)/, '');
  if (!ALLOWED_CHARS.test(text)) return { ok: false, reason: 'invalid' };
  const digits = text.replace(/\D/g, '');
  if (digits.length === 0) return { ok: false, reason: 'invalid' };
  const international = text.startsWith('+') || digits.startsWith('00');
  if (!international && SHORT_NUMBER.test(digits)) return { ok: false, reason: 'not_dialable' };
  if (digits.length < 6 || digits.length > 15) return { ok: false, reason: 'invalid' };
  return text;
}

function normalizeCleaned(text: string, digits: string, international: boolean, defaultRegion: string): NormalizedPhone {
  if (international) {
    const parsed = parseIn(text.startsWith('+') ? text : `+${digits.slice(2)}`, undefined);
    return parsed ? classify(parsed) : { ok: false, reason: 'invalid' };
  }

  // Excel drops the "+" of "+590690001234": a long number with no trunk 0 is read as international.
  if (!digits.startsWith('0') && digits.length >= 11) {
    const parsed = parseIn(`+${digits}`, undefined);
    if (parsed) return classify(parsed);
  }

  const region = defaultRegion.toUpperCase();
  const home = (FRENCH_PLAN as readonly string[]).includes(region) || region === 'MF' || region === 'BL'
    ? (region as CountryCode)
    : undefined;
  if (!home) return { ok: false, reason: 'unknown_region' };
  const inHome = parseIn(text, home);
  if (inHome) return classify(inHome);

  const matches = FRENCH_PLAN.filter((r) => r !== home)
    .map((r) => parseIn(text, r))
    .filter((p): p is PhoneNumber => p !== undefined);
  const distinct = new Set(matches.map((p) => p.number));
  if (distinct.size === 1 && matches[0]) return classify(matches[0]);
  if (distinct.size > 1) return { ok: false, reason: 'unknown_region' };
  return { ok: false, reason: 'invalid' };
}
