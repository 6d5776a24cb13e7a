import { z } from 'zod';

/**
 * Partner file imports (issue 3): shapes shared by the server routes and the partner area.
 * Flow: upload → `uploaded` (detection + masked preview + suggested mapping) → confirm mapping →
 * `queued` → `processing` → `completed` | `awaiting_confirmation` (bad rows: accept the valid
 * subset or cancel) | `rejected` (no valid row) | `failed` (unreadable file); `cancelled` any time before the end.
 */

export const contactFields = [
  'lastName', 'firstName', 'email', 'postalCode', 'city', 'birthDate', 'customerRef',
  'consent', 'consentAt', 'consentSource', 'contract', 'language',
] as const;
export type ContactField = (typeof contactFields)[number];

export const contactFieldLabels: Record<ContactField, string> = {
  lastName: 'Nom', firstName: 'Prénom', email: 'Courriel', postalCode: 'Code postal', city: 'Ville',
  birthDate: 'Date de naissance', customerRef: 'N° client / référence', consent: 'Consentement',
  consentAt: 'Date du consentement', consentSource: 'Source du consentement', contract: 'Contrat en cours', language: 'Langue',
};

const column = z.number().int().min(0).max(499);

export const columnMapping = z.object({
  /** Phone columns, highest priority first (the first valid number is the one dialled first). */
  phones: z.array(column).min(1).max(5),
  fields: z.partialRecord(z.enum(contactFields), column),
  /** Other columns kept encrypted under a name (e.g. shown on the agents' card per the masking policy). */
  extra: z.array(z.object({ column, name: z.string().trim().min(1).max(64) })).max(20).default([]),
});
export type ColumnMapping = z.infer<typeof columnMapping>;

/** A suggestion may find no phone column (no header row, unknown names): the partner then picks one. */
export const suggestedColumnMapping = columnMapping.extend({ phones: z.array(column).max(5) });

export const importStatuses = [
  'uploaded', 'queued', 'processing', 'awaiting_confirmation', 'committing', 'completed', 'rejected', 'cancelled', 'failed',
] as const;
export type ImportStatus = (typeof importStatuses)[number];

export const rejectReasons = [
  'invalid_number', 'not_dialable', 'unknown_region', 'missing_required', 'duplicate_in_file', 'duplicate_in_campaign',
  'blocked', 'no_legal_basis', 'bad_date', 'too_many_columns', 'cell_too_long', 'malformed_row',
] as const;
export type RejectReason = (typeof rejectReasons)[number];

export const rejectReasonLabels: Record<RejectReason, string> = {
  invalid_number: 'Numéro de téléphone invalide',
  not_dialable: 'Numéro non appelable (surtaxé, gratuit, court ou spécial)',
  unknown_region: 'Territoire du numéro inconnu ou ambigu',
  missing_required: 'Champ obligatoire manquant',
  duplicate_in_file: 'Numéro en double dans le fichier',
  duplicate_in_campaign: 'Numéro déjà présent dans la campagne',
  blocked: 'Numéro sur une liste d’exclusion',
  no_legal_basis: 'Ni contrat en cours ni consentement daté et sourcé',
  bad_date: 'Date invalide',
  too_many_columns: 'Trop de colonnes sur la ligne',
  cell_too_long: 'Cellule trop longue',
  malformed_row: 'Ligne mal formée (guillemets)',
};

const isoDate = z.iso.datetime();

export const importView = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  status: z.enum(importStatuses),
  fileName: z.string(),
  fileKind: z.enum(['csv', 'xlsx']),
  fileSize: z.number().int(),
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  hasHeader: z.boolean(),
  headers: z.array(z.string()),
  /** First data rows, every value masked. */
  preview: z.array(z.array(z.string())),
  suggestedMapping: suggestedColumnMapping,
  mapping: columnMapping.nullable(),
  acceptValidSubset: z.boolean(),
  counts: z.object({ read: z.number().int(), accepted: z.number().int(), rejected: z.number().int(), imported: z.number().int() }),
  reasons: z.record(z.string(), z.number().int()),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  createdAt: isoDate,
  startedAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
});
export type ImportView = z.infer<typeof importView>;

export const confirmMappingBody = z.object({
  mapping: columnMapping,
  /** Import the valid rows even if some are refused (otherwise a file with bad rows waits for a decision). */
  acceptValidSubset: z.boolean().default(false),
  /** Overrides the detected "first row is a header". */
  hasHeader: z.boolean().optional(),
});
export type ConfirmMappingBody = z.infer<typeof confirmMappingBody>;
