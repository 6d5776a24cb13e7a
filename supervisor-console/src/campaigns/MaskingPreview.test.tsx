import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { useState } from 'react';
import { defaultMaskingPolicy, type MaskingPolicy } from '@passerelle/shared/masking';
import { renderWithProviders } from '@kit/test-utils.tsx';
import { supervisorEn } from '../locales/en.ts';
import { supervisorFr } from '../locales/fr.ts';
import { MaskingEditor, MaskingPreview } from './MaskingPreview.tsx';

afterEach(cleanup);

function Harness() {
  const [policy, setPolicy] = useState<MaskingPolicy>(defaultMaskingPolicy);
  return (
    <>
      <MaskingEditor policy={policy} onChange={setPolicy} extraColumns={['Produit']} />
      <MaskingPreview policy={policy} />
    </>
  );
}

const field = (label: string) => screen.getByTestId('masked-card').querySelector(`dd[data-field="${label}"]`)!.textContent;

describe('masking preview', () => {
  it('shows the agent’s card of the synthetic contact under the default policy', () => {
    renderWithProviders(<Harness />, { messages: { fr: supervisorFr, en: supervisorEn } });
    expect(field('Nom')).toBe('Marie-Claire E.');
    expect(field('Téléphone')).toBe('06 90 •• •• 34');
    expect(field('Ville')).toBe('Baie-Mahault');
    expect(field('Département')).toBe('971');
    expect(field('Référence client')).toBe('masqué');
    // Nothing of the clear number nor the last name leaks.
    const text = screen.getByTestId('masked-card').textContent!;
    expect(text).not.toContain('0690001234');
    expect(text).not.toContain('Exemple');
  });

  it('follows every change of the policy live', () => {
    renderWithProviders(<Harness />, { messages: { fr: supervisorFr, en: supervisorEn } });
    fireEvent.change(screen.getByLabelText('Nom'), { target: { value: 'initials' } });
    expect(field('Nom')).toBe('M.-C. E.');
    fireEvent.change(screen.getByLabelText('Téléphone'), { target: { value: 'hidden' } });
    expect(field('Téléphone')).toBe('masqué');
    fireEvent.change(screen.getByLabelText('Référence client'), { target: { value: 'last4' } });
    expect(field('Référence client')).toBe('…4521');
    fireEvent.click(screen.getByLabelText('Afficher la ville'));
    expect(field('Ville')).toBe('masqué');
    expect(screen.getByTestId('masked-card').querySelector('dd[data-field="Produit"]')).toBeNull();
    fireEvent.click(screen.getByLabelText('Produit'));
    expect(field('Produit')).toBe('Box fibre');
  });
});
