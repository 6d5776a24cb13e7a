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

const cellAt = (cells: string[], column: number | undefined) => (column === undefined ? '' : (cells[column] ?? '').trim());
const fieldOf = (cells: string[], ctx: RowContext, name: ContactField) => cellAt(cells, ctx.mapping.fields[name]) || null;

function rejectRow(ctx: RowContext, rowNo: number, reason: RejectReason, column: number | undefined, raw?: string): Reject {
  return {
    rowNo,
    reason,
    column: column === undefined ? null : (ctx.headers[column] ?? `Colonne ${column + 1}`),
    detail: raw === undefined ? null : maskRaw(raw),
  };
}

/**
 * Validates one data row against the mapping: a contact ready to encrypt, or the first reason to
 * refuse it. Runs a million times per file: helpers are module functions, not per-row closures.
 */
export function validateRow(rowNo: number, cells: string[], ctx: RowContext): ValidContact | Reject {
  const { mapping } = ctx;
  const phones: string[] = [];
  let territory: Territory | undefined;
  let timeZone = '';
  let firstProblem: Reject | undefined;
  for (const column of mapping.phones) {
    const raw = cellAt(cells, column);
    if (!raw) continue;
    const result = normalizePhone(raw, ctx.defaultRegion);
    if (!result.ok) {
      firstProblem ??= rejectRow(ctx, rowNo, PHONE_REASON[result.reason], column, raw);
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
  if (phones.length === 0 || !territory) return firstProblem ?? { ...rejectRow(ctx, rowNo, 'missing_required', mapping.phones[0]), detail: 'téléphone' };

  const lastName = fieldOf(cells, ctx, 'lastName');
  if (!lastName) return { ...rejectRow(ctx, rowNo, 'missing_required', mapping.fields.lastName), detail: 'nom' };

  const birthRaw = fieldOf(cells, ctx, 'birthDate');
  let birthDate: string | null = null;
  if (birthRaw) {
    const date = parseDate(birthRaw);
    if (!date || date.getTime() > ctx.now.getTime() || date.getTime() < EARLIEST) return rejectRow(ctx, rowNo, 'bad_date', mapping.fields.birthDate, birthRaw);
    birthDate = date.toISOString().slice(0, 10);
  }

  const consentRaw = fieldOf(cells, ctx, 'consentAt');
  let consentAt: Date | null = null;
  if (consentRaw) {
    consentAt = parseDate(consentRaw);
    if (!consentAt || consentAt.getTime() > ctx.now.getTime() + DAY_MS || consentAt.getTime() < EARLIEST) {
      return rejectRow(ctx, rowNo, 'bad_date', mapping.fields.consentAt, consentRaw);
    }
  }
  const consentSource = fieldOf(cells, ctx, 'consentSource');
  let legalBasis: ValidContact['legalBasis'] = null;
  if (isYes(fieldOf(cells, ctx, 'contract') ?? undefined)) legalBasis = 'contract';
  else if (isYes(fieldOf(cells, ctx, 'consent') ?? undefined) && consentAt && consentSource) legalBasis = 'consent';
  if (ctx.legalBasisRequired && !legalBasis) return rejectRow(ctx, rowNo, 'no_legal_basis', mapping.fields.contract ?? mapping.fields.consent);

  const extra: Record<string, string> = {};
  for (const { column, name } of mapping.extra) {
    const value = cellAt(cells, column);
    if (value) extra[name] = value;
  }
  return {
    rowNo,
    phones,
    territory,
    timeZone,
    language: parseLanguage(fieldOf(cells, ctx, 'language') ?? undefined),
    legalBasis,
    consentAt: legalBasis === 'consent' ? consentAt : null,
    consentSource: legalBasis === 'consent' ? consentSource : null,
    pii: {
      firstName: fieldOf(cells, ctx, 'firstName'),
      lastName,
      email: fieldOf(cells, ctx, 'email'),
      postalCode: fieldOf(cells, ctx, 'postalCode'),
      city: fieldOf(cells, ctx, 'city'),
      birthDate,
      customerRef: fieldOf(cells, ctx, 'customerRef'),
      extra,
    },
  };
}

export const isReject = (result: ValidContact | Reject): result is Reject => 'reason' in result;
