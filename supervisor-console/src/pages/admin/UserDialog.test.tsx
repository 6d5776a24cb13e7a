import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import type { Partner, Site } from '@passerelle/shared/api/admin';
import { renderWithProviders, scriptedFetch } from '@kit/test-utils.tsx';
import { supervisorEn } from '../../locales/en.ts';
import { supervisorFr } from '../../locales/fr.ts';
import { UserDialog } from './UserDialog.tsx';

const messages = { fr: supervisorFr, en: supervisorEn };
const at = '2026-11-29T12:00:00.000Z';
const sites: Site[] = [{ id: '00000000-0000-4000-8000-000000000001', name: 'Baie-Mahault', timeZone: 'America/Guadeloupe', createdAt: at }];
const partners: Partner[] = [
  { id: '00000000-0000-4000-8000-0000000000a1', name: 'Partenaire A', active: true, createdAt: at },
  { id: '00000000-0000-4000-8000-0000000000b1', name: 'Partenaire B', active: true, createdAt: at },
];
const admin = { id: '00000000-0000-4000-8000-000000000009', username: 'admin@test', displayName: 'admin', role: 'admin', siteId: null, partnerId: null, locale: 'fr' };

function serverAccepting() {
  const server = scriptedFetch({
    'GET /api/auth/session': () => ({ status: 200, body: { user: admin, csrfToken: 'csrf-9', idleTimeoutSeconds: 3600 } }),
    'POST /api/admin/users': (body) => ({ status: 201, body }),
  });
  vi.stubGlobal('fetch', vi.fn(server.impl));
  return server;
}

const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('UserDialog', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('creates a trainee with a pseudonym and the site, and nothing else', async () => {
    const server = serverAccepting();
    const onSaved = vi.fn();
    renderWithProviders(<UserDialog user={null} sites={sites} partners={partners} onClose={() => undefined} onSaved={onSaved} />, { withSession: true, messages });
    await waitFor(() => expect(server.calls.length).toBe(1)); // the session is loaded
    expect(screen.getByText('Par exemple « Conseiller 07 ». Jamais de nom réel ni de numéro d’écrou.')).toBeTruthy();
    type('Identifiant', 'c09@test');
    type('Pseudonyme', 'Conseiller 09');
    type('Langues d’appel', 'fr, gcf');
    type('Mot de passe', 'Passerelle-2026-solide!');
    fireEvent.click(screen.getByRole('button', { name: 'Créer' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    const sent = server.calls.at(-1)!;
    expect(sent.headers['x-csrf-token']).toBe('csrf-9');
    expect(sent.body).toEqual({
      username: 'c09@test',
      displayName: 'Conseiller 09',
      role: 'trainee',
      password: 'Passerelle-2026-solide!',
      locale: 'fr',
      languageSkills: ['fr', 'gcf'],
      siteId: sites[0]!.id,
      partnerId: null,
    });
  });

  it('attaches a partner user to the chosen partner', async () => {
    const server = serverAccepting();
    renderWithProviders(<UserDialog user={null} sites={sites} partners={partners} onClose={() => undefined} onSaved={() => undefined} />, { withSession: true, messages });
    await waitFor(() => expect(server.calls.length).toBe(1));
    type('Rôle', 'partner');
    type('Identifiant', 'crm@partenaire-b');
    type('Nom affiché', 'Service client B');
    type('Partenaire', partners[1]!.id);
    type('Mot de passe', 'Passerelle-2026-solide!');
    fireEvent.click(screen.getByRole('button', { name: 'Créer' }));
    await waitFor(() => expect(server.calls.length).toBe(2));
    expect(server.calls[1]!.body).toMatchObject({ role: 'partner', partnerId: partners[1]!.id, siteId: null });
  });

  it('shows the server’s refusal in French and keeps the dialog open', async () => {
    const server = scriptedFetch({
      'GET /api/auth/session': () => ({ status: 200, body: { user: admin, csrfToken: 'csrf-9', idleTimeoutSeconds: 3600 } }),
      'POST /api/admin/users': () => ({ status: 400, body: { error: { code: 'WEAK_PASSWORD', message: 'Mot de passe trop faible : 12 caractères minimum.' } } }),
    });
    vi.stubGlobal('fetch', vi.fn(server.impl));
    const onSaved = vi.fn();
    renderWithProviders(<UserDialog user={null} sites={sites} partners={partners} onClose={() => undefined} onSaved={onSaved} />, { withSession: true, messages });
    await waitFor(() => expect(server.calls.length).toBe(1));
    type('Identifiant', 'c10@test');
    type('Pseudonyme', 'Conseiller 10');
    type('Mot de passe', 'court');
    fireEvent.click(screen.getByRole('button', { name: 'Créer' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Mot de passe trop faible : 12 caractères minimum.');
    expect(onSaved).not.toHaveBeenCalled();
  });
});
