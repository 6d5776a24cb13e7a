import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { renderWithProviders } from '@kit/test-utils.tsx';
import { supervisorEn } from '../locales/en.ts';
import { supervisorFr } from '../locales/fr.ts';
import { GroupFilter, RegionField, SelectField } from './SelectField.tsx';

const messages = { fr: supervisorFr, en: supervisorEn };
const groups = [
  { id: 'g1', name: 'Groupe du matin' },
  { id: 'g2', name: 'Groupe du soir' },
];
const optionTexts = (select: HTMLElement) => within(select).getAllByRole('option').map((o) => o.textContent);

describe('SelectField', () => {
  afterEach(cleanup);

  it('is labelled, lists its options after the empty choice and reports the chosen value', () => {
    const onChange = vi.fn();
    renderWithProviders(
      <SelectField id="state" label="État" value="" onChange={onChange} emptyOption="Tous" options={[{ value: 'on', label: 'Actif' }, { value: 'off', label: 'Inactif' }]} />,
      { messages },
    );
    const select = screen.getByLabelText('État') as HTMLSelectElement;
    expect(optionTexts(select)).toEqual(['Tous', 'Actif', 'Inactif']);
    expect(select.value).toBe('');
    fireEvent.change(select, { target: { value: 'off' } });
    expect(onChange).toHaveBeenCalledWith('off');
  });

  it('filters by training group, every group first, in French and English', () => {
    const onChange = vi.fn();
    renderWithProviders(<GroupFilter id="team" groups={groups} value="g2" onChange={onChange} />, { messages });
    const select = screen.getByLabelText('Groupe') as HTMLSelectElement;
    expect(optionTexts(select)).toEqual(['Tous les groupes', 'Groupe du matin', 'Groupe du soir']);
    expect(select.value).toBe('g2');
    fireEvent.change(select, { target: { value: '' } });
    expect(onChange).toHaveBeenCalledWith('');
    cleanup();
    renderWithProviders(<GroupFilter id="team" groups={groups} value="" onChange={onChange} />, { messages, language: 'en' });
    expect(optionTexts(screen.getByLabelText('Group'))[0]).toBe('All groups');
  });

  it('offers the six regions by name', () => {
    renderWithProviders(<RegionField id="region" label="Région" value="MQ" onChange={() => undefined} />, { messages });
    const select = screen.getByLabelText('Région') as HTMLSelectElement;
    expect(select.value).toBe('MQ');
    expect(within(select).getAllByRole('option').map((o) => (o as HTMLOptionElement).value)).toEqual(['GP', 'MQ', 'GF', 'RE', 'YT', 'FR']);
    expect(optionTexts(select).slice(0, 2)).toEqual(['Guadeloupe', 'Martinique']);
  });
});
