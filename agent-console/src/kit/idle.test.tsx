import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { IdleLock } from './idle.tsx';
import { useSession } from './session.tsx';
import { renderWithProviders, scriptedFetch } from './test-utils.tsx';

const user = { id: '00000000-0000-4000-8000-000000000001', username: 'c07', displayName: 'Conseiller 07', role: 'trainee', siteId: null, partnerId: null, locale: 'fr' };

function Probe() {
  const { status, notice } = useSession();
  return <p data-testid="probe">{`${status}:${notice ?? ''}`}</p>;
}

async function start(idleTimeoutSeconds: number, busy = false) {
  const server = scriptedFetch({
    'GET /api/auth/session': () => ({ status: 200, body: { user, csrfToken: 'csrf-1', idleTimeoutSeconds } }),
    'POST /api/auth/logout': () => ({ status: 204 }),
  });
  vi.stubGlobal('fetch', vi.fn(server.impl));
  renderWithProviders(
    <>
      <Probe />
      <IdleLock busy={busy} />
    </>,
    { withSession: true },
  );
  await act(async () => {
    await vi.advanceTimersByTimeAsync(0);
  });
  expect(screen.getByTestId('probe').textContent).toBe('authenticated:');
  return server;
}

describe('IdleLock', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('warns a minute before and locks the session after the idle timeout', async () => {
    vi.useFakeTimers();
    const server = await start(120);
    await act(() => vi.advanceTimersByTimeAsync(59_000));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await act(() => vi.advanceTimersByTimeAsync(2_000));
    expect(screen.getByRole('alertdialog').textContent).toContain('Sans activité, votre session sera verrouillée dans 59 s.');
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    expect(screen.getByTestId('probe').textContent).toBe('anonymous:idle');
    const logout = server.calls.find((c) => c.url === '/api/auth/logout');
    expect(logout?.headers['x-csrf-token']).toBe('csrf-1');
  });

  it('stays unlocked while the user is active, and “Je suis là” resets the clock', async () => {
    vi.useFakeTimers();
    await start(120);
    for (let i = 0; i < 4; i++) {
      await act(() => vi.advanceTimersByTimeAsync(50_000));
      fireEvent.keyDown(window, { key: 'Shift' });
    }
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await act(() => vi.advanceTimersByTimeAsync(65_000));
    fireEvent.click(screen.getByRole('button', { name: 'Je suis là' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await act(() => vi.advanceTimersByTimeAsync(59_000));
    expect(screen.getByTestId('probe').textContent).toBe('authenticated:');
  });

  it('never locks during work in progress (a call), and keeps the server session alive', async () => {
    vi.useFakeTimers();
    const server = await start(120, true);
    await act(() => vi.advanceTimersByTimeAsync(300_000));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.getByTestId('probe').textContent).toBe('authenticated:');
    expect(server.calls.filter((c) => c.url === '/api/auth/session').length).toBeGreaterThan(1);
  });
});
