import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { renderWithProviders, scriptedFetch } from '@kit/test-utils.tsx';
import { supervisorEn } from '../../locales/en.ts';
import { supervisorFr } from '../../locales/fr.ts';
import { MatrixPage } from './MatrixPage.tsx';

const trainer = { id: '00000000-0000-4000-8000-000000000001', username: 'formatrice', displayName: 'Formatrice', role: 'trainer', siteId: null, partnerId: null, locale: 'fr' };
const T1 = '00000000-0000-4000-8000-000000000011';
const T2 = '00000000-0000-4000-8000-000000000012';
const row = (traineeId: string, traineeName: string) => ({ traineeId, traineeName, evaluated: 2, overall: 3, trendPer30Days: null, cells: { c1: 3 } });

describe('group matrix', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('shows one training group at a time', async () => {
    const server = scriptedFetch({
      'GET /api/auth/session': () => ({ status: 200, body: { user: trainer, csrfToken: 'csrf', idleTimeoutSeconds: 3600 } }),
      'GET /api/assessment/progress/matrix': () => ({
        status: 200,
        body: { scorecardId: 's1', competencies: [{ id: 'c1', label: 'Accueil', block: 'CCP1' }], rows: [row(T1, 'Conseiller 01'), row(T2, 'Conseiller 02')] },
      }),
      'GET /api/teams': () => ({ status: 200, body: { items: [{ id: 'g1', siteId: 'site', name: 'Groupe du matin', traineeIds: [T2] }] } }),
    });
    vi.stubGlobal('fetch', vi.fn(server.impl));
    renderWithProviders(<MatrixPage />, { withSession: true, messages: { fr: supervisorFr, en: supervisorEn } });
    await screen.findByText('Conseiller 01');
    fireEvent.change(await screen.findByLabelText('Groupe'), { target: { value: 'g1' } });
    expect(screen.queryByText('Conseiller 01')).toBeNull();
    expect(screen.getByText('Conseiller 02')).toBeTruthy();
  });
});
