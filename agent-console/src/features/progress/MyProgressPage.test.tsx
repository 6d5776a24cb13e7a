import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { renderWithProviders, scriptedFetch } from '../../kit/test-utils.tsx';
import { agentEn } from '../../locales/en.ts';
import { agentFr } from '../../locales/fr.ts';
import { MyProgressPage } from './MyProgressPage.tsx';

const messages = { fr: agentFr, en: agentEn };
const EVAL = '00000000-0000-4000-8000-0000000000e1';
const user = { id: '00000000-0000-4000-8000-000000000007', username: 'c07', displayName: 'Conseiller 07', role: 'trainee', siteId: null, partnerId: null, locale: 'fr' };
const progress = {
  evaluated: 2,
  overall: { average: 2.75, trendPer30Days: 0.9, last: 3 },
  competencies: [
    { id: 'ouverture', label: 'Ouvrir l’appel', block: 'CCP1', average: 2, count: 2 },
    { id: 'conclusion', label: 'Conclure', block: 'CCP2', average: 3.5, count: 2 },
  ],
  strengths: ['conclusion'],
  gaps: ['ouverture'],
  nextObjectives: ['Annoncer l’enregistrement'],
  nextReviewDate: '2026-12-15',
};
const detail = {
  id: EVAL,
  callAt: '2026-11-20T14:00:00Z',
  callDurationS: 95,
  isPractice: false,
  campaignType: 'appointment',
  evaluatorName: 'Formatrice',
  overall: 2,
  capped: true,
  scorecardName: 'Grille CRCD',
  scorecardVersion: 1,
  answers: { legal: 1, close: 3 },
  commentFields: { points_forts: 'Très bon accueil.' },
  result: { competencies: [{ id: 'ouverture', block: 'CCP1', score: 2, capped: true }], criticalFailures: ['legal'], passed: false },
  grid: {
    blocks: [{ code: 'CCP1', label: 'Bloc 1' }],
    scale: [{ value: 1, label: 'Non acquis' }, { value: 3, label: 'Acquis' }],
    competencies: [{ id: 'ouverture', block: 'CCP1', label: 'Ouvrir l’appel', criteria: [{ id: 'legal', label: 'Information sur l’enregistrement', critical: true }] }],
    commentFields: [{ id: 'points_forts', label: 'Points forts' }],
  },
  comments: [{ id: 'c1', atMs: 12_000, criterionId: 'legal', body: 'Enregistrement non annoncé.', authorName: 'Formatrice' }],
  excerpt: { startMs: 10_000, endMs: 15_000, peaks: [0.1, 0.5] },
};

describe('Ma progression', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('shows the trend, strengths, objectives, and an evaluation with its commented moments and excerpt', async () => {
    const server = scriptedFetch({
      'GET /api/auth/session': () => ({ status: 200, body: { user, csrfToken: 'csrf', idleTimeoutSeconds: 900 } }),
      'GET /api/me/progress': () => ({ status: 200, body: progress }),
      'GET /api/me/evaluations': () => ({ status: 200, body: { evaluations: [detail] } }),
      [`GET /api/me/evaluations/${EVAL}`]: () => ({ status: 200, body: detail }),
    });
    vi.stubGlobal('fetch', vi.fn(server.impl));
    renderWithProviders(<MyProgressPage />, { withSession: true, messages });
    expect((await screen.findByTestId('my-trend')).textContent).toBe('↗ en progrès');
    expect(screen.getByText('15/12/2026')).toBeTruthy();
    expect(screen.getByText('Conclure')).toBeTruthy();
    expect(screen.getByText('Annoncer l’enregistrement')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Voir le détail' }));
    expect(await screen.findByText('Enregistrement non annoncé.')).toBeTruthy();
    expect(screen.getByText('00:12')).toBeTruthy();
    expect(screen.getByText('Élément obligatoire manqué', { exact: false })).toBeTruthy();
    expect(document.querySelector('audio')?.getAttribute('src')).toBe(`/api/me/evaluations/${EVAL}/excerpt`);
    // Read only: no form control to change anything.
    expect(screen.queryAllByRole('textbox')).toHaveLength(0);
    expect(server.calls.every((c) => c.method === 'GET')).toBe(true);
  });
});
