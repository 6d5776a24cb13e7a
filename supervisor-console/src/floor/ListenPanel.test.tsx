import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import type { SupervisionSession } from '@passerelle/shared/events';
import { renderWithProviders } from '@kit/test-utils.tsx';
import { supervisorEn } from '../locales/en.ts';
import { supervisorFr } from '../locales/fr.ts';
import { ListenPanel } from './ListenPanel.tsx';
import { setFloorClock } from './LiveDuration.tsx';

const NOW = Date.parse('2026-11-29T15:00:00Z');
setFloorClock(() => NOW);
const other = (over: Partial<SupervisionSession> = {}): SupervisionSession => ({
  sessionId: 's2',
  attemptId: 'a1',
  agentUserId: 'u1',
  kind: 'listen',
  supervisorUserId: 't2',
  supervisorName: 'Formatrice 01',
  startedAt: new Date(NOW - 133_000).toISOString(),
  ...over,
});

function panel(others: SupervisionSession[], whisperSessionId: string | null = null) {
  const onWhisper = vi.fn();
  renderWithProviders(
    <ListenPanel
      session={{ sessionId: 's1', attemptId: 'a1', userId: 'u1', whisperSessionId, bytes: { agent: 5000, customer: 4800 } }}
      traineeName="Conseiller 07"
      others={others}
      sinkId=""
      onSink={() => undefined}
      onStop={() => undefined}
      onWhisper={onWhisper}
    />,
    { messages: { fr: supervisorFr, en: supervisorEn } },
  );
  return { onWhisper };
}

afterEach(cleanup);

describe('listen panel', () => {
  it('says who else listens, and since when', () => {
    panel([other()]);
    expect(screen.getByTestId('listen-others').textContent).toBe('Écoute aussi : Formatrice 01 (depuis 02:13)');
  });

  it('says when nobody else listens', () => {
    panel([]);
    expect(screen.getByTestId('listen-others').textContent).toBe('Personne d’autre n’écoute cet appel.');
  });

  it('whispers on demand, and not over another trainer’s whisper', () => {
    const { onWhisper } = panel([]);
    fireEvent.click(screen.getByRole('button', { name: 'Chuchoter' }));
    expect(onWhisper).toHaveBeenCalledWith(true);
    cleanup();
    panel([other({ kind: 'whisper', supervisorName: 'Formateur 02' })]);
    const whisper = screen.getByRole('button', { name: 'Chuchoter' });
    expect((whisper as HTMLButtonElement).disabled).toBe(true);
    expect(whisper.title).toBe('Formateur 02 chuchote déjà à ce conseiller.');
    expect(screen.getByTestId('listen-others').textContent).toContain('Formateur 02, qui chuchote');
  });

  it('shows the whisper in progress and stops it', () => {
    const { onWhisper } = panel([], 'w1');
    expect(screen.getByTestId('whispering').textContent).toBe('Vous chuchotez à Conseiller 07 (le client ne vous entend pas).');
    fireEvent.click(screen.getByRole('button', { name: 'Arrêter de chuchoter' }));
    expect(onWhisper).toHaveBeenCalledWith(false);
  });

  it('keeps barge-in disabled and says why', () => {
    panel([]);
    const barge = screen.getByRole('button', { name: 'Intervenir' }) as HTMLButtonElement;
    expect(barge.disabled).toBe(true);
    expect(barge.title).toMatch(/serveur média actuel.*mélanger/);
    expect(barge.title).not.toMatch(/rtpengine/);
  });
});
