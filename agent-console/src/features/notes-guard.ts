/**
 * Data minimisation in free-text notes: warns when a trainee types something that looks like a
 * phone number, an email address or a payment card number. Pure; the form shows the warnings.
 * Tuned to stay quiet on what notes legitimately hold: dates, times, postal codes, amounts.
 */

export type NotesFinding = 'phone' | 'email' | 'card';

const SEP = '[\\s.\\-]';
/** French (and overseas) country codes sharing the 10-digit national plan, plus Mayotte/Pacific/SPM. */
const FR_CC = '(?:33|590|594|596|262|269|508|681|687|689)';

const PHONE_PATTERNS: RegExp[] = [
  // National, in pairs with one consistent separator: 0690123456, 06 90 12 34 56, 06.90.12.34.56
  new RegExp(`(?<![\\d+])0[1-9](${SEP}?)\\d{2}(?:\\1\\d{2}){3}(?!\\d)`, 'u'),
  // National, 4-2-2-2 as overseas numbers are often written: 0690 12 34 56
  new RegExp(`(?<![\\d+])0[1-9]\\d{2}${SEP}?\\d{2}(${SEP}?)\\d{2}\\1\\d{2}(?!\\d)`, 'u'),
  // International with + or 00, French codes, optional (0): +590 690 12 34 56, 0033 (0)6 12 34 56 78
  new RegExp(`(?<![\\d])(?:\\+|00)${SEP}?${FR_CC}${SEP}?(?:\\(0\\)${SEP}?)?[1-9](?:${SEP}?\\d){5,8}(?!\\d)`, 'u'),
  // Any other international number: + then 8 to 15 digits
  new RegExp(`(?<![\\d\\w])\\+${SEP}?[1-9](?:${SEP}?\\d){7,14}(?!\\d)`, 'u'),
  // E.164 without its +: 590690123456, 33612345678
  new RegExp(`(?<!\\d)(?:33[1-9]\\d{8}|(?:590|594|596|262|269)\\d{9})(?!\\d)`, 'u'),
];

const EMAIL = /[\p{L}\p{N}._%+-]+\s?(?:@|\(at\)|\[at\])\s?[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/iu;

/** 13 to 19 digits, optionally grouped by spaces or dashes. */
const CARD_CANDIDATE = /(?<!\d)(?:\d[\s-]?){12,18}\d(?!\d)/gu;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function hasCard(text: string): boolean {
  for (const m of text.matchAll(CARD_CANDIDATE)) {
    const digits = m[0].replace(/\D/g, '');
    if (digits.length >= 13 && digits.length <= 19 && !/^(\d)\1+$/.test(digits) && luhnValid(digits)) return true;
  }
  return false;
}

/** What personal data the text seems to hold (each kind once, in a stable order). */
export function guardNotes(text: string): NotesFinding[] {
  const found: NotesFinding[] = [];
  if (hasCard(text)) found.push('card');
  // A card number is not also reported as a phone number.
  const rest = found.includes('card') ? text.replace(CARD_CANDIDATE, ' ') : text;
  if (PHONE_PATTERNS.some((p) => p.test(rest))) found.push('phone');
  if (EMAIL.test(text)) found.push('email');
  return (['phone', 'email', 'card'] as const).filter((k) => found.includes(k));
}
