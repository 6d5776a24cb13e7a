import type { ColumnType, Generated, Selectable } from 'kysely';
import type { Role } from '@passerelle/shared/roles';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface SitesTable {
  id: Generated<string>;
  name: string;
  timeZone: string;
  createdAt: CreatedAt;
}

export interface TeamsTable {
  id: Generated<string>;
  siteId: string;
  name: string;
  createdAt: CreatedAt;
}

export interface WorkstationsTable {
  id: Generated<string>;
  siteId: string;
  name: string;
  /** CIDR ranges (IPv4 or IPv6) a seat's traffic comes from. */
  ipRanges: string[];
  active: Generated<boolean>;
  createdAt: CreatedAt;
}

export interface PartnersTable {
  id: Generated<string>;
  name: string;
  active: Generated<boolean>;
  createdAt: CreatedAt;
}

export interface UsersTable {
  id: Generated<string>;
  username: string;
  /** Trainees: a pseudonym only (e.g. "Conseiller 07"); never a real name or prison number. */
  displayName: string;
  role: Role;
  siteId: string | null;
  partnerId: string | null;
  /** Trainees: their training group (migration 0511), if any. */
  teamId: Generated<string | null>;
  passwordHash: string;
  locale: Generated<string>;
  languageSkills: Generated<string[]>;
  active: Generated<boolean>;
  failedLogins: Generated<number>;
  lockedUntil: Timestamp | null;
  createdAt: CreatedAt;
  updatedAt: Generated<Date>;
}

export interface SessionsTable {
  /** SHA-256 of the cookie token; the token itself is never stored. */
  id: string;
  userId: string;
  csrfToken: string;
  ip: string;
  userAgent: string;
  createdAt: CreatedAt;
  lastSeenAt: Timestamp;
  expiresAt: Timestamp;
  revokedAt: Timestamp | null;
}

export interface PartnerApiKeysTable {
  id: Generated<string>;
  partnerId: string;
  name: string;
  /** First characters of the key, shown in lists so a partner recognises it. */
  prefix: string;
  /** SHA-256 of the whole key (keys are 256-bit random, so a fast hash is enough). */
  keyHash: string;
  createdBy: string | null;
  createdAt: CreatedAt;
  lastUsedAt: Timestamp | null;
  revokedAt: Timestamp | null;
}

export interface IdentityTables {
  sites: SitesTable;
  teams: TeamsTable;
  workstations: WorkstationsTable;
  partners: PartnersTable;
  users: UsersTable;
  sessions: SessionsTable;
  partnerApiKeys: PartnerApiKeysTable;
}

export type UserRow = Selectable<UsersTable>;
