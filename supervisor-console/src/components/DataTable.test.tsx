import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { renderWithProviders } from '@kit/test-utils.tsx';
import { supervisorEn } from '../locales/en.ts';
import { supervisorFr } from '../locales/fr.ts';
import { DataTable, EditButton } from './DataTable.tsx';

const messages = { fr: supervisorFr, en: supervisorEn };
const items = [
  { id: 'a', name: 'Baie-Mahault', seats: 12 },
  { id: 'b', name: 'Ducos', seats: 8 },
];

function Sites({ list, onEdit = () => undefined }: { list: typeof items | undefined; onEdit?: (id: string) => void }) {
  return (
    <DataTable
      caption="Sites"
      columns={['Nom', { label: 'Postes', className: 'num' }]}
      actions
      items={list}
      empty="Aucun site."
      row={(s) => (
        <tr key={s.id}>
          <td>{s.name}</td>
          <td className="num">{s.seats}</td>
          <td className="actions">
            <EditButton label={`Modifier ${s.name}`} onClick={() => onEdit(s.id)} />
          </td>
        </tr>
      )}
    />
  );
}

describe('DataTable', () => {
  afterEach(cleanup);

  it('names the table and its columns, the actions column for screen readers only', () => {
    renderWithProviders(<Sites list={items} />, { messages });
    const table = screen.getByRole('table', { name: 'Sites' });
    const headers = within(table).getAllByRole('columnheader');
    expect(headers.map((h) => h.textContent)).toEqual(['Nom', 'Postes', 'Actions']);
    expect(headers[1]!.className).toBe('num');
    expect(headers[2]!.querySelector('.visually-hidden')?.textContent).toBe('Actions');
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(screen.queryByText('Aucun site.')).toBeNull();
  });

  it('says when the list is empty, across every column, and shows nothing while loading', () => {
    const { rerender } = renderWithProviders(<Sites list={undefined} />, { messages });
    expect(screen.getAllByRole('row')).toHaveLength(1);
    rerender(<Sites list={[]} />);
    const cell = screen.getByText('Aucun site.');
    expect(cell.getAttribute('colspan')).toBe('3');
  });

  it('gives each row an edit button named after the row, in English too', () => {
    const onEdit = vi.fn();
    renderWithProviders(<Sites list={items} onEdit={onEdit} />, { messages, language: 'en' });
    const button = screen.getByRole('button', { name: 'Modifier Ducos' });
    expect(button.textContent).toBe('Edit');
    fireEvent.click(button);
    expect(onEdit).toHaveBeenCalledWith('b');
    expect(screen.getAllByRole('columnheader').at(-1)!.textContent).toBe('Actions');
  });
});
