import { z } from 'zod';
import { maskingPolicySchema } from '../masking.ts';

/**
 * Campaign shell API (issue 3): shapes shared by the server routes and the consoles.
 * The dialer extends `campaign` / `updateCampaignBody` with its own fields (`.extend(...)`).
 * Dates travel as ISO 8601 strings (UTC).
 */

const isoDate = z.iso.datetime();
const id = z.uuid();

export const campaignTypes = ['appointment', 'loyalty', 'after_sales'] as const;
export type CampaignType = (typeof campaignTypes)[number];

/** Canvassing types need, per contact, a current contract or recorded consent (DESIGN.md §7). */
export function legalBasisRequiredFor(type: CampaignType): boolean {
  return type !== 'after_sales';
}

/** ISO-3166 alpha-2 region used to read national numbers of the campaign's files. */
export const regionCode = z.string().regex(/^[A-Z]{2}$/, 'code de région ISO à 2 lettres (GP, MQ, GF, RE, YT, FR)');

export const campaign = z.object({
  id,
  partnerId: id,
  name: z.string(),
  type: z.enum(campaignTypes),
  status: z.string(),
  defaultRegion: z.string(),
  maskingPolicy: maskingPolicySchema,
  retentionDays: z.number().int(),
  legalBasisRequired: z.boolean(),
  createdAt: isoDate,
  updatedAt: isoDate,
  /** When the campaign ended; retention runs from here (or from creation while null). */
  endedAt: isoDate.nullable(),
  /** Set once the contacts were crypto-shredded and purged. */
  purgedAt: isoDate.nullable(),
  /** Contact counts at purge time (a purged campaign still reports them). */
  purgeCounts: z.record(z.string(), z.number()).nullable(),
});
export type Campaign = z.infer<typeof campaign>;

export const campaignSummary = campaign.extend({
  /** Contacts currently stored (0 after a purge: see purgeCounts). */
  contactCount: z.number().int(),
});
export type CampaignSummary = z.infer<typeof campaignSummary>;

export const listCampaignsQuery = z.object({
  partnerId: id.optional(),
  type: z.enum(campaignTypes).optional(),
});
export type ListCampaignsQuery = z.input<typeof listCampaignsQuery>;
export type ListCampaigns = z.output<typeof listCampaignsQuery>;
export const listCampaignsReply = z.object({ items: z.array(campaignSummary) });
export type ListCampaignsReply = z.infer<typeof listCampaignsReply>;

const name = z.string().trim().min(1, 'nom requis').max(200);
const retentionDays = z.number().int().min(1).max(3650);

export const createCampaignBody = z.object({
  name,
  partnerId: id,
  type: z.enum(campaignTypes),
  defaultRegion: regionCode.default('GP'),
  maskingPolicy: maskingPolicySchema.default(maskingPolicySchema.parse({})),
  /** Days the contacts are kept after the campaign ends (default 1 year). */
  retentionDays: retentionDays.default(365),
});
export type CreateCampaignBody = z.input<typeof createCampaignBody>;
export type CreateCampaign = z.output<typeof createCampaignBody>;

export const updateCampaignBody = z
  .object({
    name,
    type: z.enum(campaignTypes),
    defaultRegion: regionCode,
    maskingPolicy: maskingPolicySchema,
    retentionDays,
  })
  .partial();
export type UpdateCampaignBody = z.input<typeof updateCampaignBody>;
export type UpdateCampaign = z.output<typeof updateCampaignBody>;

export const campaignParams = z.object({ id });

// ---------------------------------------------------------------- results

/** One contact's outcome for the partner: no recordings, no trainee identity. */
export const contactResult = z.object({
  contactId: id,
  customerRef: z.string().nullable(),
  status: z.string(),
  attempts: z.number().int(),
  lastOutcome: z.string().nullable(),
  lastAttemptAt: isoDate.nullable(),
  appointmentAt: isoDate.nullable(),
  appointmentPlace: z.string().nullable(),
  callbackAt: isoDate.nullable(),
  optedOut: z.boolean(),
});
export type ContactResult = z.infer<typeof contactResult>;

export const campaignResultsQuery = z.object({
  /** Cursor: the `next` of the previous page. */
  after: id.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});

export const campaignResultsReply = z.object({
  campaignId: id,
  purgedAt: isoDate.nullable(),
  /** Contacts per status (and `contacts`, the total); kept after a purge. */
  counts: z.record(z.string(), z.number()),
  items: z.array(contactResult),
  /** Cursor of the next page, null on the last one. */
  next: id.nullable(),
});
export type CampaignResultsReply = z.infer<typeof campaignResultsReply>;

// ---------------------------------------------------------------- reveal

export const revealBody = z.object({ reason: z.string().trim().min(5, 'motif requis (5 caractères minimum)').max(500) });
export const revealReply = z.object({
  contactId: id,
  campaignId: id,
  phones: z.array(z.string()),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  email: z.string().nullable(),
  postalCode: z.string().nullable(),
  city: z.string().nullable(),
  birthDate: z.string().nullable(),
  customerRef: z.string().nullable(),
  extra: z.record(z.string(), z.string()),
});
export type RevealReply = z.infer<typeof revealReply>;
