import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import type { DispositionInput } from '@passerelle/shared/api/campaign-engine';
import type { AckResult } from '@passerelle/shared/events';
import { renderWithProviders } from '../../kit/test-utils.tsx';
import { agentEn } from '../../locales/en.ts';
import { agentFr } from '../../locales/fr.ts';
import { testOffer } from '../test-offer.ts';
import { DispositionForm, type DispositionFormProps } from './DispositionForm.tsx';

const messages = { fr: agentFr, en: agentEn };
// Monday 30 November 2026, 09:00 in Guadeloupe.
const serverNow = () => new Date('2026-11-30T13:00:00Z').getTime();

function setup(props: Partial<DispositionFormProps> = {}) {
  const submitted: DispositionInput[] = [];
  const onSubmit = vi.fn(async (input: DispositionInput): Promise<AckResult> => {
    submitted.push(input);
    return { ok: true };
  });
  renderWithProviders(
    <DispositionForm offer={testOffer()} suggested={null} wrapUpDeadline="2026-11-30T13:02:00.000Z" serverNow={serverNow} onSubmit={onSubmit} {...props} />,
    { messages },
  );
  const submit = () => fireEvent.click(screen.getByRole('button', { name: 'Enregistrer la qualification' }));
  return { submitted, onSubmit, submit };
}

describe('DispositionForm', () => {
  afterEach(cleanup);

  it('requires an outcome before the next call', () => {
    const { onSubmit, submit } = setup();
    submit();
    expect(screen.getByText('Choisissez le résultat de l’appel.')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('shows the wrap-up time left', () => {
    setup();
    expect(screen.getByTestId('wrapup-timer').textContent).toContain('02:00');
  });

  it('books an appointment on one of the partner’s slots with its channel', async () => {
    const { submitted, submit } = setup();
    fireEvent.click(screen.getByLabelText('Rendez-vous pris'));
    submit();
    expect(screen.getByText('Choisissez un créneau.')).toBeTruthy();
    fireEvent.click(screen.getByLabelText(/Par téléphone/));
    submit();
    await waitFor(() => expect(submitted).toEqual([{ code: 'appointment', slotId: '33333333-3333-4333-8333-333333333332', channel: 'phone' }]));
  });

  it('offers only the campaign’s outcomes, and preselects what the line said', () => {
    setup({ suggested: 'busy' });
    expect(screen.queryByLabelText('Vente')).toBeNull();
    expect((screen.getByLabelText('Occupé') as HTMLInputElement).checked).toBe(true);
  });

  it('asks sales campaigns for the product and converts the amount to cents', async () => {
    const offer = testOffer({ campaign: { id: 'c', name: 'Fidélité', type: 'loyalty', partnerName: 'Partenaire' }, dispositions: ['sale', 'renewal', 'callback'] });
    const { submitted, submit } = setup({ offer });
    fireEvent.click(screen.getByLabelText('Renouvellement'));
    submit();
    expect(screen.getByText('Indiquez le produit ou l’offre.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Produit ou offre'), { target: { value: 'Forfait Box' } });
    fireEvent.change(screen.getByLabelText('Montant (€, facultatif)'), { target: { value: '29,90' } });
    submit();
    await waitFor(() => expect(submitted).toEqual([{ code: 'renewal', product: 'Forfait Box', amountCents: 2990 }]));
  });

  it('refuses a callback outside the legal windows and suggests the next lawful time', async () => {
    const { submitted, submit } = setup();
    fireEvent.click(screen.getByLabelText('Rappel'));
    const at = screen.getByLabelText(/Date et heure du rappel/);
    fireEvent.change(at, { target: { value: '2026-11-30T13:30' } });
    expect(screen.getByText('En dehors des heures d’appel autorisées.')).toBeTruthy();
    submit();
    expect(screen.getByText('Choisissez un horaire de rappel autorisé.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /^Choisir le/ }));
    expect((at as HTMLInputElement).value).toBe('2026-11-30T14:00');
    fireEvent.click(screen.getByLabelText('N’importe quel conseiller'));
    submit();
    await waitFor(() => expect(submitted).toEqual([{ code: 'callback', at: '2026-11-30T18:00:00.000Z', reservedToMe: false }]));
  });

  it('warns when the note looks like a phone number and holds the form until it is removed or confirmed', async () => {
    const { submitted, submit } = setup();
    fireEvent.click(screen.getByLabelText('Pas intéressé'));
    const note = screen.getByLabelText('Note (facultatif)');
    fireEvent.change(note, { target: { value: 'rappeler au 0690 12 34 56' } });
    expect(screen.getByTestId('note-warning').textContent).toContain('un numéro de téléphone');
    submit();
    expect(submitted).toEqual([]);
    fireEvent.change(note, { target: { value: 'Déjà équipé, rappeler en 2027' } });
    expect(screen.queryByTestId('note-warning')).toBeNull();
    submit();
    await waitFor(() => expect(submitted).toEqual([{ code: 'not_interested', note: 'Déjà équipé, rappeler en 2027' }]));
  });

  it('shows the server’s refusal', async () => {
    const { submit } = setup({ onSubmit: async () => ({ ok: false, code: 'SLOT_TAKEN', message: 'Ce créneau vient d’être pris.' }) });
    fireEvent.click(screen.getByLabelText('Rendez-vous pris'));
    fireEvent.click(screen.getByLabelText(/Sur place/));
    submit();
    await waitFor(() => expect(screen.getByText('Ce créneau vient d’être pris.')).toBeTruthy());
  });

  it('falls back to the outcomes every campaign offers when the offer details are unknown', () => {
    setup({ offer: null });
    expect(screen.queryByLabelText('Rendez-vous pris')).toBeNull();
    expect(screen.getByLabelText('Faux numéro')).toBeTruthy();
  });
});
