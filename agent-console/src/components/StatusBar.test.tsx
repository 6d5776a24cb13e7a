import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, screen, within } from '@testing-library/react';
import { renderWithProviders } from '../kit/test-utils.tsx';
import { agentEn } from '../locales/en.ts';
import { agentFr } from '../locales/fr.ts';
import type { AgentState, AgentStatus } from '@passerelle/shared/agent-state';
import { StatusBar, type HealthItem } from './StatusBar.tsx';

const messages = { fr: agentFr, en: agentEn };
const healthy: HealthItem[] = [
  { id: 'server', level: 'ok', detail: 'Liaison avec le serveur établie.' },
  { id: 'sip', level: 'unknown', detail: 'Téléphonie pas encore connectée.' },
  { id: 'audio', level: 'unknown', detail: 'Casque et micro pas encore vérifiés.' },
];

const as = (status: AgentStatus, extra: Partial<AgentState> = {}): AgentState => ({ status, reason: null, pendingPause: null, ...extra });

describe('StatusBar', () => {
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('shows the state in French with a running timer', () => {
    vi.useFakeTimers();
    const start = new Date('2026-11-29T14:00:00Z').getTime();
    vi.setSystemTime(start + 65_000);
    renderWithProviders(<StatusBar state={as('offline')} since={start} health={healthy} />, { messages });
    const region = screen.getByRole('region', { name: 'État du poste' });
    expect(within(region).getByText('Hors ligne')).toBeTruthy();
    expect(screen.getByTestId('state-timer').textContent).toBe('01:05');
    act(() => vi.advanceTimersByTime(3_000));
    expect(screen.getByTestId('state-timer').textContent).toBe('01:08');
  });

  it.each([
    ['ready', 'Prêt'],
    ['offered', 'Appel proposé'],
    ['ringing', 'Sonnerie'],
    ['in_call', 'En appel'],
    ['wrap_up', 'Après-appel'],
  ] as const)('labels %s as “%s” (never colour alone)', (state, label) => {
    renderWithProviders(<StatusBar state={as(state)} since={Date.now()} health={healthy} />, { messages });
    expect(screen.getByText(label)).toBeTruthy();
    expect(document.querySelector(`[data-state="${state}"]`)).not.toBeNull();
  });

  it('names the pause reason', () => {
    renderWithProviders(<StatusBar state={as('paused', { reason: 'break' })} since={Date.now()} health={healthy} />, { messages });
    expect(screen.getByText('En pause — Pause repas')).toBeTruthy();
  });

  it('shows a pause waiting for the end of the call', () => {
    renderWithProviders(<StatusBar state={as('in_call', { pendingPause: 'training' })} since={Date.now()} health={healthy} />, { messages });
    expect(screen.getByText('En appel')).toBeTruthy();
    expect(screen.getByTestId('pending-pause').textContent).toBe('Pause demandée après l’appel : Formation');
  });

  it('gives every link a text level and no alert while nothing is down', () => {
    renderWithProviders(<StatusBar state={as('ready')} since={Date.now()} health={healthy} />, { messages });
    const list = screen.getByRole('list', { name: 'Santé de la connexion' });
    const items = within(list).getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toEqual(['✓ServeurOK', '?TéléphonieNon vérifié', '?CasqueNon vérifié']);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says in plain words what is wrong and what to do when a link is down', () => {
    const detail = 'Liaison avec le serveur perdue : reconnexion automatique en cours.';
    renderWithProviders(<StatusBar state={as('ready')} since={Date.now()} health={[{ id: 'server', level: 'down', detail }, healthy[1]!]} />, { messages });
    expect(screen.getByRole('alert').textContent).toBe(detail);
    expect(screen.getByText('Coupé')).toBeTruthy();
  });

  it('speaks English when chosen', () => {
    renderWithProviders(<StatusBar state={as('wrap_up')} since={Date.now()} health={healthy} />, { messages, language: 'en' });
    expect(screen.getByText('Wrap-up')).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Workstation status' })).toBeTruthy();
  });
});
