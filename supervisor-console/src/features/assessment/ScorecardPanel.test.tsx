import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { renderWithProviders } from '@kit/test-utils.tsx';
import type { Answers, ScorecardGrid } from '@passerelle/shared/scoring';
import { supervisorEn } from '../../locales/en.ts';
import { supervisorFr } from '../../locales/fr.ts';
import { ScorecardPanel } from './ScorecardPanel.tsx';

const messages = { fr: supervisorFr, en: supervisorEn };
const scale = [1, 2, 3, 4].map((value) => ({ value, label: `Niveau ${value}`, descriptor: `Descripteur ${value}` }));
const k = (id: string, weight: number, extra: { critical?: boolean; allowNa?: boolean } = {}) => ({ id, label: `Critère ${id}`, description: '', weight, critical: false, allowNa: false, descriptors: {}, ...extra });
const grid: ScorecardGrid = {
  blocks: [{ code: 'CCP1', label: 'Bloc un' }],
  scale,
  passScore: 2.5,
  critical: { threshold: 3, cap: 2 },
  competencies: [{ id: 'c', block: 'CCP1', label: 'Compétence', weight: 1, criteria: [k('a', 1), k('b', 3), k('legal', 1, { critical: true })] }],
  commentFields: [{ id: 'points_forts', label: 'Points forts' }],
};

function Harness({ initial }: { initial: Answers }) {
  const [answers, setAnswers] = useState<Answers>(initial);
  return <ScorecardPanel grid={grid} answers={answers} commentFields={{}} readOnly={false} onAnswer={(id, v) => setAnswers((a) => ({ ...a, [id]: v }))} onCommentField={() => undefined} />;
}

const pick = (criterion: string, level: number) => fireEvent.click(within(screen.getByRole('radiogroup', { name: `Critère ${criterion}` })).getByLabelText(new RegExp(`^${level} ·`)));

describe('ScorecardPanel', () => {
  afterEach(cleanup);

  it('computes the weighted score live and caps it when a critical item is missed', () => {
    renderWithProviders(<Harness initial={{}} />, { messages });
    expect(screen.getByTestId('overall-score').textContent).toBe('—');
    expect(screen.getByText('3 critères sans réponse')).toBeTruthy();
    pick('a', 4);
    pick('b', 2);
    pick('legal', 3);
    // (4·1 + 2·3 + 3·1) / 5 = 2.6
    expect(screen.getByTestId('overall-score').textContent).toBe('2,60');
    expect(screen.getByText('Satisfaisant')).toBeTruthy();
    pick('legal', 2);
    // Raw (4 + 6 + 2) / 5 = 2.4, capped at 2.
    expect(screen.getByTestId('overall-score').textContent).toBe('2,00');
    expect(screen.getByRole('alert').textContent).toBe('Élément critique manqué : le score est plafonné à 2,00.');
    expect(screen.getByText('Plafonné')).toBeTruthy();
    expect(screen.getAllByText('Descripteur 2', { selector: '.criterion-descriptor' })).toHaveLength(2);
  });

  it('is read only for a final evaluation', () => {
    renderWithProviders(<ScorecardPanel grid={grid} answers={{ a: 3, b: 3, legal: 3 }} commentFields={{ points_forts: 'Bien.' }} readOnly onAnswer={() => undefined} onCommentField={() => undefined} />, { messages });
    for (const radio of screen.getAllByRole('radio')) expect((radio as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByLabelText('Points forts') as HTMLTextAreaElement).readOnly).toBe(true);
  });
});
