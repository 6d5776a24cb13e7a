import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntryContent {
  at: Date;
  actorUserId: string | null;
  actorRole: string | null;
  actorPartnerId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

/** JSON with object keys sorted at every depth, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** hash = SHA-256(prevHash ‖ canonical(entry)); any edit, deletion or reordering breaks the chain. */
export function chainHash(prevHash: string, entry: AuditEntryContent): string {
  const canonical = canonicalJson({ ...entry, at: entry.at.toISOString() });
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}
