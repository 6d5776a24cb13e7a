import { z } from 'zod';
import { roles } from '../roles.ts';

/**
 * The administration API (users, sites, workstations, partners, partner API keys, audit):
 * request and response shapes shared by the server routes and the consoles.
 * Dates travel as ISO 8601 strings (UTC).
 */

const isoDate = z.iso.datetime();
const id = z.uuid();

/** A language a trainee can take calls in: ISO 639 code, optionally with a region (fr, en, es, gcf, pt-BR). */
export const languageCode = z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'code de langue invalide (ex. fr, en, gcf)');
export const locales = ['fr', 'en'] as const;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- users

export const adminUser = z.object({
  id,
  username: z.string(),
  displayName: z.string(),
  role: z.enum(roles),
  siteId: id.nullable(),
  partnerId: id.nullable(),
  locale: z.string(),
  languageSkills: z.array(z.string()),
  active: z.boolean(),
  /** Set while the account is locked after repeated failed logins. */
  lockedUntil: isoDate.nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type AdminUser = z.infer<typeof adminUser>;

export const listUsersQuery = z.object({
  role: z.enum(roles).optional(),
  siteId: id.optional(),
  partnerId: id.optional(),
  active: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  /** Substring of the username or display name (case-insensitive). */
  q: z.string().trim().min(1).max(100).optional(),
});
export type ListUsersQuery = z.input<typeof listUsersQuery>;

export const listUsersReply = z.object({ items: z.array(adminUser) });
export type ListUsersReply = z.infer<typeof listUsersReply>;

const username = z
  .string()
  .trim()
  .min(3)
  .max(100)
  .regex(/^[A-Za-z0-9._@-]+$/, 'lettres, chiffres et . _ @ - uniquement');
/** Trainees: a pseudonym (e.g. "Conseiller 07"), never a real name or prison number. */
const displayName = z.string().trim().min(1).max(100);
/** The strength policy is enforced by the server (error code WEAK_PASSWORD). */
const password = z.string().min(1).max(256);

export const createUserBody = z.object({
  username,
  displayName,
  role: z.enum(roles),
  password,
  /** Required for trainees. */
  siteId: id.nullable().optional(),
  /** Required for partner users, forbidden otherwise. */
  partnerId: id.nullable().optional(),
  locale: z.enum(locales).optional(),
  languageSkills: z.array(languageCode).max(20).optional(),
});
export type CreateUserBody = z.input<typeof createUserBody>;

/** Any subset; `password` resets the password. Deactivating or changing the role ends the user's sessions. */
export const updateUserBody = z
  .object({
    displayName,
    role: z.enum(roles),
    active: z.boolean(),
    siteId: id.nullable(),
    partnerId: id.nullable(),
    locale: z.enum(locales),
    languageSkills: z.array(languageCode).max(20),
    password,
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'aucun champ à modifier');
export type UpdateUserBody = z.input<typeof updateUserBody>;

export const userIdParams = z.object({ id });

/** What trainers see of trainees: pseudonymous fields only. */
export const traineeSummary = z.object({
  id,
  displayName: z.string(),
  siteId: id.nullable(),
  languageSkills: z.array(z.string()),
  active: z.boolean(),
});
export type TraineeSummary = z.infer<typeof traineeSummary>;
export const listTraineesQuery = z.object({ siteId: id.optional() });
export const listTraineesReply = z.object({ items: z.array(traineeSummary) });
export type ListTraineesReply = z.infer<typeof listTraineesReply>;

// ---------------------------------------------------------------- teams (groupes de formation)

export const team = z.object({ id, siteId: id, name: z.string(), traineeIds: z.array(id) });
export type Team = z.infer<typeof team>;
export const listTeamsQuery = z.object({ siteId: id.optional() });
export const listTeamsReply = z.object({ items: z.array(team) });
export type ListTeamsReply = z.infer<typeof listTeamsReply>;
export const createTeamBody = z.object({ siteId: id, name: z.string().trim().min(1).max(100) });
export type CreateTeamBody = z.input<typeof createTeamBody>;
export const renameTeamBody = z.object({ name: z.string().trim().min(1).max(100) });
/** The group's whole membership: trainees of its site; listed trainees leave their former group. */
export const setTeamMembersBody = z.object({ traineeIds: z.array(id).max(500) });
export type SetTeamMembersBody = z.infer<typeof setTeamMembersBody>;
export const teamIdParams = z.object({ id });

// ---------------------------------------------------------------- sites and workstations

export const site = z.object({ id, name: z.string(), timeZone: z.string(), createdAt: isoDate });
export type Site = z.infer<typeof site>;
export const createSiteBody = z.object({
  name: z.string().trim().min(1).max(100),
  timeZone: z.string().refine(isTimeZone, 'fuseau horaire IANA inconnu (ex. America/Guadeloupe)'),
});
export type CreateSiteBody = z.input<typeof createSiteBody>;
export const listSitesReply = z.object({ items: z.array(site) });
export type ListSitesReply = z.infer<typeof listSitesReply>;

export const workstation = z.object({
  id,
  siteId: id,
  name: z.string(),
  /** CIDR ranges (IPv4 or IPv6), e.g. 10.20.0.15/32. */
  ipRanges: z.array(z.string()),
  active: z.boolean(),
  createdAt: isoDate,
});
export type Workstation = z.infer<typeof workstation>;
/** Each range is checked as CIDR by the server (error code INVALID_CIDR). */
const ipRanges = z.array(z.string().trim().min(3).max(64)).min(1).max(50);
export const createWorkstationBody = z.object({ siteId: id, name: z.string().trim().min(1).max(100), ipRanges });
export type CreateWorkstationBody = z.input<typeof createWorkstationBody>;
export const updateWorkstationBody = z
  .object({ name: z.string().trim().min(1).max(100), ipRanges, active: z.boolean() })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'aucun champ à modifier');
export type UpdateWorkstationBody = z.input<typeof updateWorkstationBody>;
export const listWorkstationsQuery = z.object({ siteId: id.optional() });
export const listWorkstationsReply = z.object({ items: z.array(workstation) });
export type ListWorkstationsReply = z.infer<typeof listWorkstationsReply>;
export const workstationIdParams = z.object({ id });

// ---------------------------------------------------------------- partners and API keys

export const partner = z.object({ id, name: z.string(), active: z.boolean(), createdAt: isoDate });
export type Partner = z.infer<typeof partner>;
export const createPartnerBody = z.object({ name: z.string().trim().min(1).max(200) });
export type CreatePartnerBody = z.input<typeof createPartnerBody>;
/** Deactivating a partner disables its API keys and ends its users' sessions. */
export const updatePartnerBody = z
  .object({ name: z.string().trim().min(1).max(200), active: z.boolean() })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'aucun champ à modifier');
export type UpdatePartnerBody = z.input<typeof updatePartnerBody>;
export const listPartnersReply = z.object({ items: z.array(partner) });
export type ListPartnersReply = z.infer<typeof listPartnersReply>;
export const partnerIdParams = z.object({ id });
/** GET /api/partners: what a trainer needs to create a campaign (no dates, keys or users). */
export const partnerChoice = partner.pick({ id: true, name: true, active: true });
export const listPartnerChoicesReply = z.object({ items: z.array(partnerChoice) });
export type ListPartnerChoicesReply = z.infer<typeof listPartnerChoicesReply>;

export const apiKeySummary = z.object({
  id,
  partnerId: id,
  name: z.string(),
  /** First characters of the key, so its owner recognises it (`pk_AbCd…`). */
  prefix: z.string(),
  createdAt: isoDate,
  lastUsedAt: isoDate.nullable(),
  revokedAt: isoDate.nullable(),
});
export type ApiKeySummary = z.infer<typeof apiKeySummary>;
export const apiKeyParams = z.object({ partnerId: id });
export const apiKeyIdParams = z.object({ partnerId: id, keyId: id });
export const createApiKeyBody = z.object({ name: z.string().trim().min(1).max(100) });
export type CreateApiKeyBody = z.input<typeof createApiKeyBody>;
/** `key` is shown this once; only its SHA-256 is stored. Use it as `Authorization: Bearer <key>`. */
export const createApiKeyReply = z.object({ apiKey: apiKeySummary, key: z.string() });
export type CreateApiKeyReply = z.infer<typeof createApiKeyReply>;
export const listApiKeysReply = z.object({ items: z.array(apiKeySummary) });
export type ListApiKeysReply = z.infer<typeof listApiKeysReply>;

/** GET /api/partner/me: the calling partner (session of a partner user, or API key). */
export const partnerMeReply = z.object({ partnerId: id, name: z.string(), via: z.enum(['session', 'apiKey']) });
export type PartnerMeReply = z.infer<typeof partnerMeReply>;

// ---------------------------------------------------------------- audit

export const auditEntry = z.object({
  id: z.number().int(),
  at: isoDate,
  actorUserId: id.nullable(),
  actorRole: z.string().nullable(),
  actorPartnerId: id.nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntry>;

/** Newest first; pass the previous page's `nextCursor` as `before` to go back in time. */
export const listAuditQuery = z.object({
  /** Action prefix: `auth.` matches auth.login, auth.logout… */
  action: z.string().trim().min(1).max(100).optional(),
  actorUserId: id.optional(),
  targetType: z.string().trim().min(1).max(50).optional(),
  targetId: z.string().trim().min(1).max(100).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListAuditQuery = z.input<typeof listAuditQuery>;
export const listAuditReply = z.object({ items: z.array(auditEntry), nextCursor: z.number().int().nullable() });
export type ListAuditReply = z.infer<typeof listAuditReply>;

export const verifyAuditReply = z.object({
  ok: z.boolean(),
  rows: z.number().int(),
  /** First row whose link or hash does not match (null when the chain is intact). */
  brokenId: z.number().int().nullable(),
  reason: z.enum(['prev_hash_mismatch', 'hash_mismatch']).nullable(),
});
export type VerifyAuditReply = z.infer<typeof verifyAuditReply>;
