import { normalizePhone, type Territory } from '@passerelle/shared/phone';
import type { RejectReason } from '@passerelle/shared/api/imports';
import type { ContactPii } from '../contacts/pii.ts';
import type { ColumnMapping, ContactField } from './mapping.ts';
import type { RowProblem } from './parsing/rows.ts';
import { isYes, parseDate, parseLanguage, maskRaw } from './values.ts';

export interface Reject {
  rowNo: number;
  reason: RejectReason;
  /** Header name of the offending column (or the block list for `blocked`). */
  column: string | null;
  /** The offending value, masked. */
  detail: string | null;
}

export interface ValidContact {
  rowNo: number;
  /** E.164 numbers, priority order; the first is the primary (dedupe key). */
  phones: string[];
  territory: Territory;
  timeZone: string;
  language: string;
  legalBasis: 'contract' | 'consent' | null;
  consentAt: Date | null;
  consentSource: string | null;
  pii: ContactPii;
}

export interface RowContext {
  mapping: ColumnMapping;
  headers: string[];
  defaultRegion: string;
  legalBasisRequired: boolean;
  now: Date;
}

const PHONE_REASON = { invalid: 'invalid_number', not_dialable: 'not_dialable', unknown_region: 'unknown_region' } as const;
const EARLIEST = Date.UTC(1900, 0, 1);
const DAY_MS = 86_400_000;

export function problemReject(rowNo: number, problem: RowProblem): Reject {
  return { rowNo, reason: problem, column: null, detail: null };
}

/** Validates one data row against the mapping: a contact ready to encrypt, or the first reason to refuse it. */
export function validateRow(rowNo: number, cells: string[], ctx: RowContext): ValidContact | Reject {
  const { mapping, headers } = ctx;
  const header = (column: number) => headers[column] ?? `Colonne ${column + 1}`;
  const cell = (column: number | undefined) => (column === undefined ? '' : (cells[column] ?? '').trim());
  const field = (name: ContactField) => cell(mapping.fields[name]) || null;
  const reject = (reason: RejectReason, column: number | undefined, raw?: string): Reject => ({
    rowNo,
    reason,
    column: column === undefined ? null : header(column),
    detail: raw === undefined ? null : maskRaw(raw),
  });

  const phones: string[] = [];
  let territory: Territory | undefined;
  let timeZone = '';
  let firstProblem: Reject | undefined;
  for (const column of mapping.phones) {
    const raw = cell(column);
    if (!raw) continue;
    const result = normalizePhone(raw, ctx.defaultRegion);
    if (!result.ok) {
      firstProblem ??= reject(PHONE_REASON[result.reason], column, raw);
      continue;
    }
    if (phones.includes(result.e164)) continue;
    if (phones.length === 0) {
      territory = result.territory;
      timeZone = result.timeZone;
    }
    phones.push(result.e164);
  }
  // Secondary numbers that fail are dropped; the row is refused only without one good number.
  if (phones.length === 0 || !territory) return firstProblem ?? { ...reject('missing_required', mapping.phones[0]), detail: 'téléphone' };

  const lastName = field('lastName');
  if (!lastName) return { ...reject('missing_required', mapping.fields.lastName), detail: 'nom' };

  const birthRaw = field('birthDate');
  let birthDate: string | null = null;
  if (birthRaw) {
    const date = parseDate(birthRaw);
    if (!date || date.getTime() > ctx.now.getTime() || date.getTime() < EARLIEST) return reject('bad_date', mapping.fields.birthDate, birthRaw);
    birthDate = date.toISOString().slice(0, 10);
  }

  const consentRaw = field('consentAt');
  let consentAt: Date | null = null;
  if (consentRaw) {
    consentAt = parseDate(consentRaw);
    if (!consentAt || consentAt.getTime() > ctx.now.getTime() + DAY_MS || consentAt.getTime() < EARLIEST) {
      return reject('bad_date', mapping.fields.consentAt, consentRaw);
    }
  }
  const consentSource = field('consentSource');
  let legalBasis: ValidContact['legalBasis'] = null;
  if (isYes(field('contract') ?? undefined)) legalBasis = 'contract';
  else if (isYes(field('consent') ?? undefined) && consentAt && consentSource) legalBasis = 'consent';
  if (ctx.legalBasisRequired && !legalBasis) return reject('no_legal_basis', mapping.fields.contract ?? mapping.fields.consent);

  const extra: Record<string, string> = {};
  for (const { column, name } of mapping.extra) {
    const value = cell(column);
    if (value) extra[name] = value;
  }
  return {
    rowNo,
    phones,
    territory,
    timeZone,
    language: parseLanguage(field('language') ?? undefined),
    legalBasis,
    consentAt: legalBasis === 'consent' ? consentAt : null,
    consentSource: legalBasis === 'consent' ? consentSource : null,
    pii: {
      firstName: field('firstName'),
      lastName,
      email: field('email'),
      postalCode: field('postalCode'),
      city: field('city'),
      birthDate,
      customerRef: field('customerRef'),
      extra,
    },
  };
}

export const isReject = (result: ValidContact | Reject): result is Reject => 'reason' in result;
