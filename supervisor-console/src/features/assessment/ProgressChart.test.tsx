import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen } from '@testing-library/react';
import { renderWithProviders } from '@kit/test-utils.tsx';
import { supervisorEn } from '../../locales/en.ts';
import { supervisorFr } from '../../locales/fr.ts';
import { ProgressChart } from './ProgressChart.tsx';

const messages = { fr: supervisorFr, en: supervisorEn };

describe('ProgressChart', () => {
  afterEach(cleanup);

  it('plots each scored point by date, practice calls hollow, gaps skipped', () => {
    const { container } = renderWithProviders(
      <ProgressChart
        min={1}
        max={4}
        pass={2.5}
        series={[
          {
            key: 'overall',
            label: 'Score global',
            points: [
              { at: '2026-10-01T14:00:00Z', value: 1 },
              { at: '2026-10-11T14:00:00Z', value: 2.5, practice: true },
              { at: '2026-10-21T14:00:00Z', value: 4 },
              { at: '2026-10-25T14:00:00Z', value: null },
            ],
          },
        ]}
      />,
      { messages },
    );
    expect(screen.getByRole('img', { name: 'Courbe des scores par date d’appel' })).toBeTruthy();
    const dots = [...container.querySelectorAll('circle')];
    expect(dots.map((d) => d.getAttribute('class'))).toEqual(['chart-dot', 'chart-dot-practice', 'chart-dot']);
    // x from the dates (first at the left edge, last at the right), y from the scale (4 at the top).
    const x = dots.map((d) => Number(d.getAttribute('cx')));
    const y = dots.map((d) => Number(d.getAttribute('cy')));
    expect(x[0]).toBeLessThan(x[1]!);
    expect(x[1]! - x[0]!).toBeCloseTo(x[2]! - x[1]!, 6);
    expect(y[0]).toBeGreaterThan(y[1]!);
    expect(y[1]).toBeGreaterThan(y[2]!);
    expect(container.querySelector('polyline')?.getAttribute('points')?.split(' ')).toHaveLength(3);
    expect(container.querySelector('[style]')).toBeNull();
  });

  it('says so when there is nothing to plot', () => {
    renderWithProviders(<ProgressChart min={1} max={4} pass={2.5} series={[{ key: 'o', label: 'x', points: [] }]} />, { messages });
    expect(screen.getByText('Aucune évaluation définitive sur la période.')).toBeTruthy();
  });
});
