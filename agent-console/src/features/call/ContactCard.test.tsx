import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { renderWithProviders } from '../../kit/test-utils.tsx';
import { agentEn } from '../../locales/en.ts';
import { agentFr } from '../../locales/fr.ts';
import { testOffer } from '../test-offer.ts';
import { ContactCard } from './ContactCard.tsx';
import { orderedSteps } from './ScriptSteps.tsx';

const messages = { fr: agentFr, en: agentEn };

describe('ContactCard', () => {
  afterEach(cleanup);

  it('shows the masked fields, the campaign, its purpose and earlier attempts', () => {
    renderWithProviders(<ContactCard offer={testOffer()} />, { messages });
    const card = screen.getByTestId('contact-card');
    expect(card.textContent).toContain('Marie D.');
    expect(card.textContent).toContain('06 90 •• •• 34');
    expect(card.textContent).toContain('Aide auditive');
    expect(card.textContent).not.toContain('Référence client');
    expect(screen.getByText('Bilan auditif 2026')).toBeTruthy();
    expect(screen.getByText(/Audition Caraïbes/)).toBeTruthy();
    expect(screen.getByText(/proposer un rendez-vous/)).toBeTruthy();
    expect(screen.getByText(/Pas de réponse/)).toBeTruthy();
  });

  it('refuses copy, cut and drag on the card and disables selection', () => {
    renderWithProviders(<ContactCard offer={testOffer()} />, { messages });
    const card = screen.getByTestId('contact-card');
    expect(card.classList.contains('no-copy')).toBe(true);
    for (const type of ['copy', 'cut', 'dragStart'] as const) {
      const event = fireEvent[type](card.querySelector('dd')!);
      expect(event, type).toBe(false); // false = default prevented
    }
  });

  it('puts the legal opening and the recording notice first', () => {
    expect(orderedSteps(testOffer().script).map((s) => s.kind)).toEqual(['legal_opening', 'recording_notice', 'step', 'closing']);
  });
});
