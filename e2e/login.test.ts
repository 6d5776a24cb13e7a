import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hashPassword } from '../server/src/lib/passwords.ts';
import { login } from '../server/test/fixtures.ts';
import { ensureConsolesBuilt, finishPage, launchBrowser, PASSWORD, saveScreenshot, signIn as signInTo, startServer, type LaunchedBrowser, type RunningServer } from './harness/index.ts';

let server: RunningServer;
let browser: LaunchedBrowser;
let page: Page;

const signIn = (console: 'agent' | 'supervisor', username: string, password?: string) => signInTo(page, server.url, console, username, password);

const heading = (name: string) => page.getByRole('heading', { name, exact: true });
const htmlLang = () => page.locator('html').getAttribute('lang');

describe('signing in to the consoles (French)', () => {
  beforeAll(async () => {
    ensureConsolesBuilt();
    server = await startServer();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  afterEach(() => finishPage(browser, page));

  it('a trainee signs in to the agent console and lands on the French home screen', async () => {
    page = await browser.context.newPage();
    await page.goto(`${server.url}/agent/`);
    await page.waitForURL('**/agent/login');
    await heading('Connexion').waitFor();
    expect(await htmlLang()).toBe('fr');
    await saveScreenshot(page, 'agent-login');

    await signIn('agent', 'trainee@test');
    // Start of shift: the headset check first (the full shift is e2e/agent-shift.test.ts).
    await heading('Vérification du casque et du micro').waitFor();
    await page.getByRole('button', { name: 'Oui, je l’ai entendu' }).click();
    await page.getByRole('button', { name: 'Commencer ma journée' }).click();
    await heading('Bonjour, Conseiller trainee').waitFor();
    expect(await htmlLang()).toBe('fr');
    const status = page.getByRole('region', { name: 'État du poste' });
    // Signing in puts the trainee on pause until they choose Ready.
    await status.locator('[data-state="paused"]').waitFor();
    expect(await status.getByText('En pause — Pause').isVisible()).toBe(true);
    await status.locator('[data-health="server"][data-level="ok"]').waitFor();
    // The date is written the French way, in the site's time zone.
    expect(await page.getByText(/Nous sommes le \w+ \d{1,2} \p{L}+ 20\d\d\./u).count()).toBe(1);
    await saveScreenshot(page, 'agent-home');

    await page.getByRole('link', { name: 'Voir ma progression' }).click();
    await page.waitForURL('**/agent/progression');
    await heading('Ma progression').waitFor();
    await saveScreenshot(page, 'agent-progress');

    // Nothing about the user is kept in browser storage: only the language, once chosen.
    const stored = await page.evaluate<string[][]>('[Object.keys(localStorage), Object.keys(sessionStorage)]');
    expect(stored.flat().filter((k) => k !== 'passerelle.lang')).toEqual([]);

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForURL('**/agent/login');
    await page.getByText('Vous êtes déconnecté.').waitFor();
  });

  it('a wrong password is refused with a French message and the language can be switched', async () => {
    page = await browser.context.newPage();
    await signIn('agent', 'trainee2@test', 'not-the-password');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Identifiant ou mot de passe incorrect.');
    await saveScreenshot(page, 'agent-login-error');

    await page.getByLabel('Langue').selectOption('en');
    await heading('Sign in').waitFor();
    expect(await htmlLang()).toBe('en');
    await page.reload();
    await heading('Sign in').waitFor();
    await page.getByLabel('Language').selectOption('fr');
    await heading('Connexion').waitFor();
    expect(await htmlLang()).toBe('fr');
  });

  it('a trainee away from the room’s workstations is told so plainly', async () => {
    // A site whose only workstation range does not contain this browser's address (127.0.0.1).
    const { db } = server.app;
    const site = await db.insertInto('sites').values({ name: 'Autre salle', timeZone: 'America/Guadeloupe' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('workstations').values({ siteId: site.id, name: 'Poste 21', ipRanges: ['10.99.0.0/24'] }).execute();
    const passwordHash = await hashPassword(PASSWORD);
    await db.insertInto('users').values({ username: 'away@test', displayName: 'Conseiller 21', role: 'trainee', siteId: site.id, partnerId: null, passwordHash }).execute();

    page = await browser.context.newPage();
    await signIn('agent', 'away@test');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.getAttribute('data-code')).toBe('WORKSTATION_REQUIRED');
    expect(await alert.textContent()).toContain('Poste non autorisé');
    expect(await alert.textContent()).toContain('Connexion autorisée uniquement depuis un poste de la salle.');
    await saveScreenshot(page, 'agent-login-workstation');
  });

  it('staff signing in to the agent console are pointed to the supervisor console', async () => {
    page = await browser.context.newPage();
    await signIn('agent', 'trainer@test');
    await heading('Console réservée aux conseillers').waitFor();
    expect(await page.getByRole('link', { name: 'Ouvrir la console de supervision' }).getAttribute('href')).toBe('/supervisor/');
  });

  it('a trainer lands on the floor of the supervisor console', async () => {
    page = await browser.context.newPage();
    await signIn('supervisor', 'trainer@test');
    await page.waitForURL('**/supervisor/plateau');
    await heading('Plateau').waitFor();
    expect(await htmlLang()).toBe('fr');
    // Trainers have no administration menu, and the admin pages refuse them.
    expect(await page.getByRole('link', { name: 'Utilisateurs' }).count()).toBe(0);
    await saveScreenshot(page, 'supervisor-floor');
    await page.goto(`${server.url}/supervisor/admin/utilisateurs`);
    await heading('Accès refusé').waitFor();
  });

  it('an admin opens the users page and verifies the audit chain', async () => {
    page = await browser.context.newPage();
    await signIn('supervisor', 'admin@test');
    await page.waitForURL('**/supervisor/plateau');
    await page.getByRole('link', { name: 'Utilisateurs' }).click();
    await page.waitForURL('**/supervisor/admin/utilisateurs');
    await heading('Utilisateurs').waitFor();
    const table = page.getByRole('table', { name: 'Utilisateurs' });
    await table.getByRole('cell', { name: 'trainee@test', exact: true }).waitFor();
    expect(await table.getByRole('cell', { name: 'Conseiller trainee', exact: true }).count()).toBe(1);
    await saveScreenshot(page, 'supervisor-admin-users');

    // Create a trainee: pseudonym and site, no real name anywhere.
    await page.getByRole('button', { name: 'Nouvel utilisateur' }).click();
    const dialog = page.getByRole('dialog', { name: 'Nouvel utilisateur' });
    await dialog.waitFor();
    await dialog.getByLabel('Identifiant').fill('c09@test');
    await dialog.getByLabel('Pseudonyme').fill('Conseiller 09');
    await dialog.getByLabel('Mot de passe').fill('Passerelle-2026-solide!');
    await saveScreenshot(page, 'supervisor-admin-user-new');
    await dialog.getByRole('button', { name: 'Créer' }).click();
    await table.getByRole('cell', { name: 'Conseiller 09', exact: true }).waitFor();
    expect(await dialog.isVisible()).toBe(false);

    await page.getByRole('link', { name: 'Postes et sites' }).click();
    await page.getByRole('cell', { name: 'Poste 01', exact: true }).waitFor();
    await saveScreenshot(page, 'supervisor-admin-workstations');

    await page.getByRole('link', { name: 'Journal d’audit' }).click();
    await page.getByRole('cell', { name: 'auth.login', exact: false }).first().waitFor();
    await page.getByRole('button', { name: 'Vérifier la chaîne' }).click();
    const verdict = page.getByTestId('audit-verify');
    await verdict.waitFor();
    expect(await verdict.textContent()).toContain('Chaîne intègre');
    await saveScreenshot(page, 'supervisor-admin-audit');

    // Filters reach the server: only the failed sign-in of the earlier test is left.
    await page.getByLabel('Action (préfixe)').fill('auth.login_failed');
    await page.getByLabel('Du', { exact: true }).fill('01/01/2026 00:00');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    const rows = page.locator('table.audit-table tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('Échec de connexion');
    await page.getByLabel('Au', { exact: true }).fill('hier');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.getByText('Date attendue : jj/mm/aaaa').waitFor();
  });

  it('a partner user gets the partner area with its own navigation', async () => {
    const admin = await login(server.app, 'admin@test', '127.0.0.1');
    for (const [partnerId, name] of [
      [server.fixture!.partnerA, 'Rendez-vous bilan énergétique'],
      [server.fixture!.partnerB, 'Campagne d’un autre partenaire'],
    ] as const) {
      const res = await server.app.inject({ method: 'POST', url: '/api/campaigns', headers: admin.headers, remoteAddress: '127.0.0.1', payload: { name, partnerId, type: 'appointment' } });
      expect(res.statusCode, res.body).toBe(201);
    }

    page = await browser.context.newPage();
    await signIn('supervisor', 'partnera@test');
    await page.waitForURL('**/supervisor/partenaire');
    await heading('Espace partenaire').waitFor();
    expect(await htmlLang()).toBe('fr');
    const nav = page.getByRole('navigation', { name: 'Navigation principale' });
    for (const name of ['Campagnes', 'Imports', 'Résultats', 'Clés d’API']) expect(await nav.getByRole('link', { name }).count()).toBe(1);
    expect(await nav.getByRole('link', { name: /Documentation de l’API/ }).getAttribute('href')).toBe('/docs');
    expect(await nav.getByRole('link', { name: 'Plateau' }).count()).toBe(0);
    await saveScreenshot(page, 'partner-home');

    // Only the partner's own campaigns are listed.
    await nav.getByRole('link', { name: 'Campagnes' }).click();
    await page.getByRole('cell', { name: 'Rendez-vous bilan énergétique' }).waitFor();
    expect(await page.getByRole('cell', { name: 'Prise de rendez-vous' }).count()).toBe(1);
    expect(await page.getByText('Campagne d’un autre partenaire').count()).toBe(0);
    await saveScreenshot(page, 'partner-campaigns');

    // Staff pages send a partner back to the partner area.
    await page.goto(`${server.url}/supervisor/admin/utilisateurs`);
    await page.waitForURL('**/supervisor/partenaire');
    await nav.getByRole('link', { name: 'Clés d’API' }).click();
    await heading('Clés d’API').waitFor();
    await page.getByText('Aucune clé d’API.').waitFor();
    await page.getByLabel('Nom de la nouvelle clé').fill('Serveur CRM');
    await page.getByRole('button', { name: 'Créer une clé' }).click();
    const shownOnce = page.getByTestId('new-api-key');
    await shownOnce.waitFor();
    expect(await shownOnce.locator('code').textContent()).toMatch(/^pk_[A-Za-z0-9_-]{20,}$/);
    await page.getByRole('cell', { name: 'Serveur CRM', exact: true }).waitFor();
    await saveScreenshot(page, 'partner-api-keys');
    await page.getByRole('button', { name: 'Révoquer la clé Serveur CRM' }).click();
    await page.getByRole('dialog', { name: 'Révoquer la clé' }).getByRole('button', { name: 'Révoquer' }).click();
    await page.getByText(/^Révoquée le /).waitFor();
  });
});
