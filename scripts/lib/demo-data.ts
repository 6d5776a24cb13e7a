/**
 * Demo identities (fictitious). The password is for the local demo only: the seed refuses to run
 * with NODE_ENV=production, so these accounts never exist in a real deployment.
 */
import type { Role } from '@passerelle/shared/roles';

export const DEMO_PASSWORD = 'Passerelle-Demo-2026!';

export const DEMO_SITE = { name: 'Centre pénitentiaire de Baie-Mahault', timeZone: 'America/Guadeloupe' };

export const DEMO_SEATS = Array.from({ length: 8 }, (_, i) => `Poste ${String(i + 1).padStart(2, '0')}`);

/** Trainees may log in only from these addresses; DEMO_SEAT_RANGES widens them (comma-separated CIDRs). */
export function demoSeatRanges(env: NodeJS.ProcessEnv = process.env): string[] {
  const raw = env.DEMO_SEAT_RANGES?.trim();
  return raw ? raw.split(',').map((s) => s.trim()).filter(Boolean) : ['127.0.0.1/32', '::1/128'];
}

export const DEMO_PARTNER = { name: 'Karukera Énergie' };

export interface DemoUser {
  username: string;
  displayName: string;
  role: Role;
  /** Where this login is used. */
  console: 'agent' | 'supervisor';
}

export const DEMO_USERS: DemoUser[] = [
  { username: 'admin', displayName: 'Administrateur démo', role: 'admin', console: 'supervisor' },
  { username: 'formatrice01', displayName: 'Formatrice 01', role: 'trainer', console: 'supervisor' },
  { username: 'formateur02', displayName: 'Formateur 02', role: 'trainer', console: 'supervisor' },
  ...[1, 2, 3, 4].map((n): DemoUser => {
    const nn = String(n).padStart(2, '0');
    return { username: `conseiller${nn}`, displayName: `Conseiller ${nn}`, role: 'trainee', console: 'agent' };
  }),
  { username: 'karukera', displayName: 'Karukera Énergie (démo)', role: 'partner', console: 'supervisor' },
];
