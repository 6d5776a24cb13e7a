import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { renderWithProviders, scriptedFetch } from '@kit/test-utils.tsx';
import { supervisorEn } from '../../locales/en.ts';
import { supervisorFr } from '../../locales/fr.ts';
import { CampaignsPage } from './CampaignsPage.tsx';

const messages = { fr: supervisorFr, en: supervisorEn };
const trainer = { id: '00000000-0000-4000-8000-000000000001', username: 'formatrice', displayName: 'Formatrice', role: 'trainer', siteId: null, partnerId: null, locale: 'fr' };

describe('campaign creation', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('lets a trainer pick any active partner, even one without a campaign yet', async () => {
    const server = scriptedFetch({
      'GET /api/auth/session': () => ({ status: 200, body: { user: trainer, csrfToken: 'csrf', idleTimeoutSeconds: 3600 } }),
      'GET /api/campaigns': () => ({ status: 200, body: { items: [] } }),
      'GET /api/partners': () => ({
        status: 200,
        body: {
          items: [
            { id: '00000000-0000-4000-8000-0000000000a1', name: 'Karukera Énergie', active: true },
            { id: '00000000-0000-4000-8000-0000000000a2', name: 'Ancien partenaire', active: false },
          ],
        },
      }),
    });
    vi.stubGlobal('fetch', vi.fn(server.impl));
    renderWithProviders(<CampaignsPage />, { withSession: true, messages });
    fireEvent.click(await screen.findByRole('button', { name: 'Nouvelle campagne' }));
    const select = await screen.findByLabelText('Partenaire');
    await within(select).findByRole('option', { name: 'Karukera Énergie' });
    expect(within(select).queryByRole('option', { name: 'Ancien partenaire' })).toBeNull();
    expect(server.calls.some((c) => c.url.startsWith('/api/admin/'))).toBe(false);
  });
});
