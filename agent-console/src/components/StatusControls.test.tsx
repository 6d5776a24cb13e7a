import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import type { AgentState } from '@passerelle/shared/agent-state';
import { createApiClient } from '../kit/http.ts';
import { renderWithProviders, scriptedFetch } from '../kit/test-utils.tsx';
import { agentEn } from '../locales/en.ts';
import { agentFr } from '../locales/fr.ts';
import { StatusControls } from './StatusControls.tsx';
import { TodayCounters } from './TodayCounters.tsx';

const messages = { fr: agentFr, en: agentEn };
const paused: AgentState = { status: 'paused', reason: 'pause', pendingPause: null };
const ok = async () => ({ ok: true as const });

describe('StatusControls', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('goes Ready from a pause and shows the server’s refusal', async () => {
    const onReady = vi.fn(async () => ({ ok: false as const, code: 'NO_CAMPAIGN', message: 'Aucune campagne en cours pour vous.' }));
    renderWithProviders(<StatusControls state={paused} online onReady={onReady} onPause={ok} />, { messages });
    fireEvent.click(screen.getByRole('button', { name: /Prêt/ }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Aucune campagne en cours pour vous.'));
    expect(onReady).toHaveBeenCalledOnce();
  });

  it('asks the pause reason, and says a pause during a call waits for its end', async () => {
    const onPause = vi.fn(ok);
    renderWithProviders(<StatusControls state={{ status: 'in_call', reason: null, pendingPause: null }} online onReady={ok} onPause={onPause} />, { messages });
    expect((screen.getByRole('button', { name: /Prêt/ }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: /Pause/ }));
    expect(screen.getByText('La pause commencera après l’appel et sa qualification.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Formation' }));
    await waitFor(() => expect(onPause).toHaveBeenCalledWith('training'));
  });

  it('disables both actions while the server link is down', () => {
    renderWithProviders(<StatusControls state={paused} online={false} onReady={ok} onPause={ok} />, { messages });
    expect((screen.getByRole('button', { name: /Prêt/ }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: /Pause/ }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('TodayCounters', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });
  const api = () => createApiClient({ csrfToken: () => 'x', onUnauthorized: () => undefined, networkErrorMessage: () => 'réseau' });

  it('shows the server’s figures of the day', async () => {
    const { impl } = scriptedFetch({ 'GET /api/agents/me/today': () => ({ status: 200, body: { calls: 12, talkSeconds: 1865, appointments: 3 } }) });
    vi.stubGlobal('fetch', impl);
    renderWithProviders(<TodayCounters api={api()} refreshKey="" />, { messages });
    await waitFor(() => expect(screen.getByTestId('today').textContent).toBe('Appels12Temps de conversation31:05Rendez-vous3'));
  });

  it('stays hidden while the server has no such figures', async () => {
    const { impl, calls } = scriptedFetch({ 'GET /api/agents/me/today': () => ({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'x' } } }) });
    vi.stubGlobal('fetch', impl);
    renderWithProviders(<TodayCounters api={api()} refreshKey="" />, { messages });
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(screen.queryByTestId('today')).toBeNull();
  });
});
