import { z } from 'zod';

/**
 * The masked projection of a contact: what agents (trainees) see instead of personal data.
 * Computed on the server when a contact is stored; agent-facing code only ever reads the result.
 *
 * Values stay plain text (a name like `<script>` is kept as inert text: the consoles render text,
 * never HTML); control and invisible formatting characters (bidi overrides, zero-width) are
 * removed so a value cannot disguise itself, and every value is length-capped.
 */

export const maskingPolicySchema = z.object({
  /** `Marie D.` | `M. D.` | nothing. */
  name: z.enum(['first_name_initial', 'initials', 'hidden']).default('first_name_initial'),
  /** `06 90 •• •• 34` | nothing. */
  phone: z.enum(['last2', 'hidden']).default('last2'),
  city: z.boolean().default(true),
  /** `971` (the département of a French postal code) | nothing. */
  postalCode: z.enum(['department', 'hidden']).default('department'),
  /** `…4521` | nothing. */
  customerRef: z.enum(['last4', 'hidden']).default('hidden'),
  /** Extra file columns agents may see in clear (e.g. "Produit", "Date d'achat"). */
  extra: z.array(z.string().trim().min(1).max(64)).max(20).default([]),
});
export type MaskingPolicy = z.infer<typeof maskingPolicySchema>;
export type MaskingPolicyInput = z.input<typeof maskingPolicySchema>;

export const defaultMaskingPolicy: MaskingPolicy = maskingPolicySchema.parse({});

export const maskedCardSchema = z.object({
  name: z.string().nullable(),
  phone: z.string().nullable(),
  city: z.string().nullable(),
  department: z.string().nullable(),
  customerRef: z.string().nullable(),
  extra: z.record(z.string(), z.string()),
});
export type MaskedCard = z.infer<typeof maskedCardSchema>;

/** The clear fields a card is computed from (decrypted, server memory only). */
export interface CardFields {
  firstName?: string | null;
  lastName?: string | null;
  /** Primary number, E.164. */
  phone?: string | null;
  postalCode?: string | null;
  city?: string | null;
  customerRef?: string | null;
  extra?: Record<string, string | null | undefined> | null;
}

const DOT = '••';
const HIDDEN_PHONE = [DOT, DOT, DOT, DOT, DOT].join(' ');

// Control characters, and invisible format characters (bidi overrides, zero-width joiners...).
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/**
 * Text cleanText returns unchanged: printable ASCII and precomposed Latin-1 letters (already NFC,
 * no invisible character), single spaces between words. Imports mask millions of such values.
 */
const ALREADY_CLEAN = /^[\x21-\x7e\u00c0-\u00ff]+(?: [\x21-\x7e\u00c0-\u00ff]+)*$/;

/** Plain, visible, bounded text; null when nothing is left. */
export function cleanText(value: string | null | undefined, max = 60): string | null {
  if (value == null) return null;
  if (value.length <= max && ALREADY_CLEAN.test(value)) return value;
  const text = value.normalize('NFC').replace(INVISIBLE, ' ').replace(/\s+/gu, ' ').trim();
  if (!text) return null;
  const chars = Array.from(text);
  return chars.length > max ? chars.slice(0, max).join('') + '…' : text;
}

/** Overseas departments sharing the French 10-digit plan: their 4-digit prefix only names the territory. */
const OVERSEAS_CODES = ['590', '594', '596', '262'];

/**
 * `+590690001234` → `06 90 •• •• 34`; `+33612345678` → `06 •• •• •• 78`.
 * Overseas numbers keep their 4-digit prefix (it only tells the territory and mobile/fixed, which
 * the card shows anyway); metropolitan ones keep 2 digits, since 06 12 would narrow the line.
 * Anything else keeps only its last 2 digits.
 */
export function maskPhone(e164: string | null | undefined, mode: MaskingPolicy['phone'] = 'last2'): string {
  if (mode === 'hidden' || !e164 || !/^\+[1-9]\d{6,14}$/.test(e164)) return HIDDEN_PHONE;
  const digits = e164.slice(1);
  const last2 = digits.slice(-2);
  const overseas = OVERSEAS_CODES.find((cc) => digits.startsWith(cc) && digits.length === cc.length + 9);
  if (overseas) {
    const national = '0' + digits.slice(overseas.length);
    return `${national.slice(0, 2)} ${national.slice(2, 4)} ${DOT} ${DOT} ${last2}`;
  }
  if (digits.startsWith('33') && digits.length === 11) return `0${digits[2]} ${DOT} ${DOT} ${DOT} ${last2}`;
  return `${DOT} ${DOT} ${DOT} ${DOT} ${last2}`;
}

/** First letter (any script), upper-cased: `élodie` → `É`. */
function initialOf(word: string): string | null {
  const first = word.charCodeAt(0);
  // An ASCII letter first: what the Unicode path below gives, without a regex and ICU.
  if (first >= 97 && first <= 122) return String.fromCharCode(first - 32);
  if (first >= 65 && first <= 90) return word[0]!;
  const letter = word.match(/\p{L}/u)?.[0];
  return letter ? letter.toLocaleUpperCase('fr') : null;
}

/** French initials keep hyphens: `Jean-Pierre` → `J.-P.`. */
function initialsOf(name: string): string | null {
  const parts = name
    .split(/\s+/u)
    .map((word) => word.split('-').map(initialOf).filter(Boolean).map((i) => `${i}.`).join('-'))
    .filter(Boolean);
  return parts.length ? parts.join(' ') : null;
}

/** `Marie`, `Dupont` → `Marie D.` (first_name_initial) or `M. D.` (initials); null when hidden or empty. */
export function maskName(
  firstName: string | null | undefined,
  lastName: string | null | undefined,
  mode: MaskingPolicy['name'] = 'first_name_initial',
): string | null {
  if (mode === 'hidden') return null;
  const first = cleanText(firstName, 40);
  const last = cleanText(lastName, 60);
  const lastInitial = last ? initialOf(last) : null;
  const lastPart = lastInitial ? `${lastInitial}.` : null;
  const firstPart = mode === 'initials' ? (first ? initialsOf(first) : null) : first;
  const name = [firstPart, lastPart].filter(Boolean).join(' ');
  return name || null;
}

/** `97122` → `971`, `75011` → `75`, `20000` → `20`; null when not a French postal code. */
export function departmentOf(postalCode: string | null | undefined): string | null {
  const code = postalCode?.replace(/\s/g, '');
  if (!code || !/^\d{5}$/.test(code)) return null;
  return code.startsWith('97') || code.startsWith('98') ? code.slice(0, 3) : code.slice(0, 2);
}

/** `…4521`; a reference of 4 characters or fewer is hidden entirely (its last 4 would be all of it). */
export function maskCustomerRef(ref: string | null | undefined): string | null {
  const text = cleanText(ref, 200);
  if (!text) return null;
  const chars = Array.from(text);
  return chars.length > 4 ? `…${chars.slice(-4).join('')}` : '••••';
}

/** The card agents see for one contact, according to the campaign's policy. */
export function maskedCard(fields: CardFields, policy: MaskingPolicy = defaultMaskingPolicy): MaskedCard {
  const extra: Record<string, string> = {};
  for (const column of policy.extra) {
    const value = cleanText(fields.extra?.[column], 200);
    if (value !== null) extra[column] = value;
  }
  return {
    name: maskName(fields.firstName, fields.lastName, policy.name),
    phone: policy.phone === 'hidden' ? null : maskPhone(fields.phone, policy.phone),
    city: policy.city ? cleanText(fields.city, 60) : null,
    department: policy.postalCode === 'department' ? departmentOf(fields.postalCode) : null,
    customerRef: policy.customerRef === 'last4' ? maskCustomerRef(fields.customerRef) : null,
    extra,
  };
}
