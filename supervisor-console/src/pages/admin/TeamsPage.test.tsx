import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { renderWithProviders, scriptedFetch } from '@kit/test-utils.tsx';
import { supervisorEn } from '../../locales/en.ts';
import { supervisorFr } from '../../locales/fr.ts';
import { TeamsPage } from './TeamsPage.tsx';

const messages = { fr: supervisorFr, en: supervisorEn };
const SITE = '00000000-0000-4000-8000-000000000051';
const T1 = '00000000-0000-4000-8000-000000000011';
const T2 = '00000000-0000-4000-8000-000000000012';
const TEAM = '00000000-0000-4000-8000-0000000000f1';
const admin = { id: '00000000-0000-4000-8000-000000000001', username: 'admin', displayName: 'Admin', role: 'admin', siteId: null, partnerId: null, locale: 'fr' };

describe('training groups page', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('lists a site’s groups with their trainees and sets a group’s trainees', async () => {
    let members = [T1];
    const server = scriptedFetch({
      'GET /api/auth/session': () => ({ status: 200, body: { user: admin, csrfToken: 'csrf', idleTimeoutSeconds: 3600 } }),
      'GET /api/admin/sites': () => ({ status: 200, body: { items: [{ id: SITE, name: 'Baie-Mahault', timeZone: 'America/Guadeloupe', createdAt: '2026-01-01T00:00:00.000Z' }] } }),
      [`GET /api/teams?siteId=${SITE}`]: () => ({ status: 200, body: { items: [{ id: TEAM, siteId: SITE, name: 'Groupe du matin', traineeIds: members }] } }),
      [`GET /api/trainees?siteId=${SITE}`]: () => ({
        status: 200,
        body: { items: [T1, T2].map((id, i) => ({ id, displayName: `Conseiller 0${i + 1}`, siteId: SITE, languageSkills: ['fr'], active: true })) },
      }),
      [`PUT /api/admin/teams/${TEAM}/trainees`]: (body) => {
        members = (body as { traineeIds: string[] }).traineeIds;
        return { status: 200, body: { id: TEAM, siteId: SITE, name: 'Groupe du matin', traineeIds: members } };
      },
    });
    vi.stubGlobal('fetch', vi.fn(server.impl));
    renderWithProviders(<TeamsPage />, { withSession: true, messages });
    const row = (await screen.findByText('Groupe du matin')).closest('tr')!;
    await within(row).findByText('Conseiller 01');
    fireEvent.click(within(row).getByRole('button', { name: 'Conseillers du groupe Groupe du matin' }));
    const dialog = await screen.findByRole('dialog', { name: 'Conseillers du groupe Groupe du matin' });
    fireEvent.click(within(dialog).getByLabelText('Conseiller 02'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Enregistrer' }));
    await within(row).findByText('Conseiller 01, Conseiller 02');
    expect(members).toEqual([T1, T2]);
  });
});
