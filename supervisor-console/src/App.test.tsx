import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, screen, within } from '@testing-library/react';
import { renderWithProviders, scriptedFetch } from '@kit/test-utils.tsx';
import type { Role } from '@passerelle/shared/roles';
import { App } from './App.tsx';
import { supervisorEn } from './locales/en.ts';
import { supervisorFr } from './locales/fr.ts';

const messages = { fr: supervisorFr, en: supervisorEn };
const PARTNER = '00000000-0000-4000-8000-0000000000aa';

function signedInAs(role: Role) {
  const user = { id: '00000000-0000-4000-8000-000000000001', username: `${role}@test`, displayName: `Nom ${role}`, role, siteId: null, partnerId: role === 'partner' ? PARTNER : null, locale: 'fr' };
  const server = scriptedFetch({
    'GET /api/auth/session': () => ({ status: 200, body: { user, csrfToken: 'csrf', idleTimeoutSeconds: 3600 } }),
    'GET /api/partner/me': () => ({ status: 200, body: { partnerId: PARTNER, name: 'Partenaire A', via: 'session' } }),
  });
  vi.stubGlobal('fetch', vi.fn(server.impl));
  return server;
}

describe('supervisor console landing by role', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('sends a trainer to the floor, without the administration menu', async () => {
    signedInAs('trainer');
    renderWithProviders(<App />, { withSession: true, messages });
    expect(await screen.findByRole('heading', { name: 'Plateau', level: 1 })).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Navigation principale' });
    expect(within(nav).queryByRole('link', { name: 'Utilisateurs' })).toBeNull();
  });

  it('gives an admin the administration menu', async () => {
    signedInAs('admin');
    renderWithProviders(<App />, { withSession: true, messages });
    await screen.findByRole('heading', { name: 'Plateau', level: 1 });
    const nav = screen.getByRole('navigation', { name: 'Navigation principale' });
    for (const name of ['Utilisateurs', 'Postes et sites', 'Partenaires', 'Clés d’API', 'Journal d’audit']) {
      expect(within(nav).getByRole('link', { name })).toBeTruthy();
    }
  });

  it('refuses an admin page to a trainer', async () => {
    signedInAs('trainer');
    renderWithProviders(<App />, { withSession: true, messages, route: '/admin/audit' });
    expect(await screen.findByRole('heading', { name: 'Accès refusé' })).toBeTruthy();
  });

  it('keeps a partner user in the partner area, staff pages included', async () => {
    signedInAs('partner');
    renderWithProviders(<App />, { withSession: true, messages, route: '/admin/utilisateurs' });
    expect(await screen.findByRole('heading', { name: 'Espace partenaire', level: 1 })).toBeTruthy();
    expect(await screen.findByText('Espace de Partenaire A : vos campagnes, vos fichiers et vos résultats.')).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Navigation principale' });
    expect(within(nav).getByRole('link', { name: /Documentation de l’API/ }).getAttribute('href')).toBe('/docs');
    expect(within(nav).queryByRole('link', { name: 'Plateau' })).toBeNull();
  });

  it('points a trainee to the agent console', async () => {
    signedInAs('trainee');
    renderWithProviders(<App />, { withSession: true, messages });
    expect(await screen.findByRole('heading', { name: 'Console réservée à l’encadrement' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Ouvrir le poste conseiller' }).getAttribute('href')).toBe('/agent/');
  });

  it('shows the login page without a session', async () => {
    const server = scriptedFetch({ 'GET /api/auth/session': () => ({ status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'Authentification requise.' } } }) });
    vi.stubGlobal('fetch', vi.fn(server.impl));
    renderWithProviders(<App />, { withSession: true, messages, route: '/plateau' });
    expect(await screen.findByRole('heading', { name: 'Connexion' })).toBeTruthy();
    expect(screen.getByText('Console de supervision')).toBeTruthy();
  });
});
