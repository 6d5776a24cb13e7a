import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { LoginForm } from './LoginForm.tsx';
import { renderWithProviders, scriptedFetch } from './test-utils.tsx';

const user = { id: '00000000-0000-4000-8000-000000000001', username: 'c07', displayName: 'Conseiller 07', role: 'trainee', siteId: null, partnerId: null, locale: 'fr' };
const refused = (status: number, code: string, message: string) => () => ({ status, body: { error: { code, message } } });
const noSession = refused(401, 'UNAUTHENTICATED', 'Authentification requise.');

function fill(username: string, password: string) {
  fireEvent.change(screen.getByLabelText('Identifiant'), { target: { value: username } });
  fireEvent.change(screen.getByLabelText('Mot de passe'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Se connecter' }));
}

describe('LoginForm', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('signs in with the typed credentials and hands the session over', async () => {
    const server = scriptedFetch({
      'GET /api/auth/session': noSession,
      'POST /api/auth/login': () => ({ status: 200, body: { user, csrfToken: 'csrf-1', idleTimeoutSeconds: 900 } }),
    });
    vi.stubGlobal('fetch', vi.fn(server.impl));
    const onSuccess = vi.fn();
    renderWithProviders(<LoginForm onSuccess={onSuccess} />, { withSession: true });
    fill('  c07 ', 'secret');
    await waitFor(() => expect(onSuccess).toHaveBeenCalledTimes(1));
    expect(onSuccess.mock.calls[0]![0].user.displayName).toBe('Conseiller 07');
    expect(server.calls.at(-1)).toMatchObject({ method: 'POST', url: '/api/auth/login', body: { username: 'c07', password: 'secret' } });
  });

  it('explains a refusal outside the training room and clears the password', async () => {
    const server = scriptedFetch({
      'GET /api/auth/session': noSession,
      'POST /api/auth/login': refused(403, 'WORKSTATION_REQUIRED', 'Connexion autorisée uniquement depuis un poste de la salle.'),
    });
    vi.stubGlobal('fetch', vi.fn(server.impl));
    renderWithProviders(<LoginForm />, { withSession: true });
    fill('c07', 'secret');
    const alert = await screen.findByRole('alert');
    expect(alert.dataset.code).toBe('WORKSTATION_REQUIRED');
    expect(alert.textContent).toContain('Poste non autorisé');
    expect(alert.textContent).toContain('Connexion autorisée uniquement depuis un poste de la salle.');
    expect(alert.textContent).toContain('prévenez votre formateur');
    expect((screen.getByLabelText('Mot de passe') as HTMLInputElement).value).toBe('');
  });

  it.each([
    ['ACCOUNT_LOCKED', 423, 'Compte temporairement verrouillé après plusieurs échecs. Réessayez plus tard.', 'Compte verrouillé'],
    ['INVALID_CREDENTIALS', 401, 'Identifiant ou mot de passe incorrect.', null],
  ])('shows %s with the server’s French message', async (code, status, message, title) => {
    const server = scriptedFetch({ 'GET /api/auth/session': noSession, 'POST /api/auth/login': refused(status, code, message) });
    vi.stubGlobal('fetch', vi.fn(server.impl));
    renderWithProviders(<LoginForm />, { withSession: true });
    fill('c07', 'bad');
    const alert = await screen.findByRole('alert');
    expect(alert.dataset.code).toBe(code);
    expect(alert.textContent).toContain(message);
    if (title) expect(alert.textContent).toContain(title);
    // A 401 on the login call is an answer, not a lost session: the form stays usable.
    expect(screen.getByRole('button', { name: 'Se connecter' })).toBeTruthy();
  });

  it('asks for both fields before calling the server', async () => {
    const server = scriptedFetch({ 'GET /api/auth/session': noSession });
    vi.stubGlobal('fetch', vi.fn(server.impl));
    renderWithProviders(<LoginForm />, { withSession: true });
    fill('c07', '');
    expect((await screen.findByRole('alert')).textContent).toContain('Saisissez votre identifiant et votre mot de passe.');
    expect(server.calls.filter((c) => c.url === '/api/auth/login')).toHaveLength(0);
  });

  it('translates known error codes in English', async () => {
    const server = scriptedFetch({
      'GET /api/auth/session': noSession,
      'POST /api/auth/login': refused(403, 'WORKSTATION_REQUIRED', 'Connexion autorisée uniquement depuis un poste de la salle.'),
    });
    vi.stubGlobal('fetch', vi.fn(server.impl));
    renderWithProviders(<LoginForm />, { withSession: true, language: 'en' });
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'c07' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Workstation not allowed');
    expect(alert.textContent).toContain('Sign-in is only allowed from a workstation in the training room.');
  });

  it('says when the server cannot be reached', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    renderWithProviders(<LoginForm />, { withSession: true });
    fill('c07', 'secret');
    expect((await screen.findByRole('alert')).textContent).toContain('Serveur injoignable');
  });
});
