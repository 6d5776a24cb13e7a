import { z } from 'zod';
import { regionCode } from './campaigns.ts';

/**
 * Blocklists API. Numbers travel only in request bodies (never URLs, which end up in logs) and
 * are stored only as keyed HMACs: entries show an HMAC prefix, never the number.
 */

const isoDate = z.iso.datetime();

export const justiceEntry = z.object({
  id: z.uuid(),
  /** First 12 hex characters of the number's HMAC: an identifier, not the number. */
  hmacPrefix: z.string(),
  reason: z.string(),
  expiresAt: isoDate.nullable(),
  /** Past its expiry: kept for the record, no longer blocks (adding the number again renews it). */
  expired: z.boolean(),
  createdBy: z.uuid().nullable(),
  createdAt: isoDate,
});
export type JusticeEntry = z.infer<typeof justiceEntry>;

export const listJusticeReply = z.object({ items: z.array(justiceEntry), total: z.number().int() });
export type ListJusticeReply = z.infer<typeof listJusticeReply>;

const phoneNumber = z.string().trim().min(3, 'numéro requis').max(40);

export const addJusticeBody = z.object({
  number: phoneNumber,
  /** Region national numbers are read in (ISO alpha-2). */
  region: regionCode.default('GP'),
  reason: z.string().trim().min(3, 'motif requis').max(500),
  expiresAt: isoDate.nullable().optional(),
});
export type AddJusticeBody = z.input<typeof addJusticeBody>;

export const searchNumberBody = z.object({ number: phoneNumber, region: regionCode.default('GP') });
export type SearchNumberBody = z.input<typeof searchNumberBody>;

export const searchJusticeReply = z.object({ items: z.array(justiceEntry) });

export const suppressionUploadQuery = z.object({ region: regionCode.default('GP') });

export const suppressionUploadReply = z.object({
  /** Data lines read (header excluded). */
  lines: z.number().int(),
  added: z.number().int(),
  alreadyListed: z.number().int(),
  invalid: z.number().int(),
  /** First invalid lines (line number and reason), to help fix the file. */
  invalidSamples: z.array(z.object({ line: z.number().int(), reason: z.string() })),
});
export type SuppressionUploadReply = z.infer<typeof suppressionUploadReply>;

export const partnerListsReply = z.object({ suppressions: z.number().int(), optOuts: z.number().int() });
export type PartnerListsReply = z.infer<typeof partnerListsReply>;
