import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { Softphone, type UseSoftphone } from '../../kit/softphone/index.ts';
import { renderWithProviders } from '../../kit/test-utils.tsx';
import { agentEn } from '../../locales/en.ts';
import { agentFr } from '../../locales/fr.ts';
import { testOffer } from '../test-offer.ts';
import { CallPanel, type CallPanelProps } from './CallPanel.tsx';

const messages = { fr: agentFr, en: agentEn };

/** The phone as the panel sees it: the module's own initial state, with the call in the given shape. */
function phone(call: Partial<UseSoftphone['state']['call']> = {}, health: UseSoftphone['state']['health'] = 'ready'): UseSoftphone {
  const initial = new Softphone({ fetchCredentials: () => Promise.reject(new Error('unused')) }).state;
  const fake = {
    state: { ...initial, health, call: { ...initial.call, ...call } },
    call: vi.fn(),
    hangup: vi.fn(),
    mute: vi.fn(),
    hold: vi.fn(),
  } satisfies Partial<UseSoftphone>;
  return fake as unknown as UseSoftphone;
}

function setup(props: Partial<CallPanelProps> = {}) {
  const base: CallPanelProps = {
    offer: testOffer(),
    call: { attemptId: testOffer().attemptId, status: 'offered', wrapUpDeadline: null },
    farEnd: null,
    phone: phone(),
    answeredAt: null,
    autoDialAt: null,
    onDial: vi.fn(),
    onHangup: vi.fn(),
    lineLost: false,
    onMute: vi.fn(),
    onSkip: vi.fn(async () => null),
  };
  const all = { ...base, ...props };
  renderWithProviders(<CallPanel {...all} />, { messages });
  return all;
}

describe('CallPanel', () => {
  afterEach(cleanup);

  it('shows the progressive countdown with “Appeler maintenant”', () => {
    const p = setup({ offer: testOffer({ mode: 'progressive' }), autoDialAt: Date.now() + 4_500 });
    expect(screen.getByTestId('countdown').textContent).toBe('Appel automatique dans 5 s');
    fireEvent.click(screen.getByRole('button', { name: /Appeler maintenant/ }));
    expect(p.onDial).toHaveBeenCalledOnce();
  });

  it('will not dial before the line is ready', () => {
    setup({ phone: phone({}, 'connecting') });
    expect((screen.getByRole('button', { name: /Appeler/ }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/pas encore prêt/)).toBeTruthy();
  });

  it('asks a reason before skipping', async () => {
    const p = setup();
    fireEvent.click(screen.getByRole('button', { name: /Passer/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Passer le contact' }));
    expect(screen.getByText('Choisissez un motif.')).toBeTruthy();
    fireEvent.click(screen.getByLabelText('Je connais cette personne'));
    fireEvent.click(screen.getByRole('button', { name: 'Passer le contact' }));
    await waitFor(() => expect(p.onSkip).toHaveBeenCalledWith('knows_contact'));
  });

  it('during the call: far-end status in words, hang up, mute and hold', () => {
    const sip = phone({ status: 'in_call', muted: true, answeredAt: Date.now() - 65_000 });
    const p = setup({ call: { attemptId: 'a', status: 'in_call', wrapUpDeadline: null }, farEnd: 'answered', phone: sip, answeredAt: Date.now() - 65_000 });
    expect(screen.getByTestId('far-end').textContent).toContain('Décroché');
    expect(screen.getByTestId('call-timer').textContent).toBe('01:05');
    expect(screen.getByText('Micro coupé : le client ne vous entend pas.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /Raccrocher/ }));
    expect(p.onHangup).toHaveBeenCalledOnce();
    fireEvent.click(screen.getByRole('button', { name: /Mettre en attente/ }));
    expect(sip.hold).toHaveBeenCalledWith(true);
  });

  it('tells the trainee at once that a trainer whispers, and who', () => {
    const call = { attemptId: 'a', status: 'in_call' as const, wrapUpDeadline: null };
    setup({ call, phone: phone({ status: 'in_call' }), whisper: { attemptId: 'a', active: true, by: 'Formatrice 01' } });
    const banner = screen.getByTestId('whisper-banner');
    expect(banner.textContent).toBe('◗ Formatrice 01 vous parle (le client n’entend pas).');
    expect(banner.getAttribute('role')).toBe('status');
    // The audio is still being connected: the notice does not wait for it.
    expect(banner.dataset.audio).toBe('connecting');
    cleanup();
    setup({ call, phone: phone({ status: 'in_call' }), whisper: { attemptId: 'a', active: false, by: null } });
    expect(screen.queryByTestId('whisper-banner')).toBeNull();
    // Listening is never announced call by call; the standing notice says calls may be listened to.
    expect(screen.getByTestId('monitoring-notice').textContent).toBe('Les appels sont enregistrés et peuvent être écoutés par l’équipe pédagogique.');
  });

  it('does not show the previous call’s failure on the next offer', () => {
    const withError = (health: UseSoftphone['state']['health'], error: string) => {
      const p = phone({ status: 'ended' }, health);
      return { ...p, state: { ...p.state, error } } as UseSoftphone;
    };
    setup({ phone: withError('ready', 'Le correspondant est occupé.') });
    expect(screen.queryByText('Le correspondant est occupé.')).toBeNull();
    cleanup();
    // A line problem (registration failed) still shows.
    setup({ phone: withError('failed', 'Identifiants refusés.') });
    expect(screen.getByText('Identifiants refusés.')).toBeTruthy();
  });

  it('a call up on the server that this page lost (reloaded mid-call) can still be hung up, and says why', () => {
    const call = { attemptId: 'a', status: 'in_call' as const, wrapUpDeadline: null };
    const props = setup({ call, phone: phone({ status: 'idle' }), lineLost: true });
    expect(screen.getByTestId('line-lost').textContent).toContain('le son de cet appel est perdu');
    const button = screen.getByRole('button', { name: /Raccrocher/ }) as HTMLButtonElement;
    expect(button.disabled).toBe(false);
    button.click();
    expect(props.onHangup).toHaveBeenCalledOnce();
  });

  it('shows the whisper notice in English', () => {
    const call = { attemptId: 'a', status: 'in_call' as const, wrapUpDeadline: null };
    renderWithProviders(
      <CallPanel
        offer={testOffer()}
        call={call}
        farEnd="answered"
        phone={phone({ status: 'in_call' })}
        answeredAt={null}
        autoDialAt={null}
        onDial={vi.fn()}
        onHangup={vi.fn()}
        lineLost={false}
        onMute={vi.fn()}
        onSkip={vi.fn(async () => null)}
        whisper={{ attemptId: 'a', active: true, by: 'Formatrice 01' }}
      />,
      { messages, language: 'en' },
    );
    expect(screen.getByTestId('whisper-banner').textContent).toBe('◗ Formatrice 01 is talking to you (the customer cannot hear).');
  });
});
