import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ApiError } from '@kit/http.ts';
import type { Language } from '@kit/i18n.ts';
import { renderWithProviders } from '@kit/test-utils.tsx';
import { supervisorEn } from '../locales/en.ts';
import { supervisorFr } from '../locales/fr.ts';
import { FormDialog } from './FormDialog.tsx';

const messages = { fr: supervisorFr, en: supervisorEn };

function renderDialog(onSubmit: () => unknown, { onClose = vi.fn(), disabled = false, language = 'fr' as Language } = {}) {
  renderWithProviders(
    <FormDialog title="Nouveau site" onClose={onClose} onSubmit={onSubmit} submitLabel="Créer" disabled={disabled}>
      <div className="field">
        <label htmlFor="site-name">Nom</label>
        <input id="site-name" required defaultValue="Ducos" />
      </div>
    </FormDialog>,
    { messages, language },
  );
  return { dialog: screen.getByRole('dialog', { name: 'Nouveau site' }), onClose };
}

describe('FormDialog', () => {
  afterEach(cleanup);

  it('submits the form and closes on Cancel', async () => {
    const onSubmit = vi.fn();
    const { dialog, onClose } = renderDialog(onSubmit);
    expect(within(dialog).getByLabelText('Nom')).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Créer' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Annuler' }));
    expect(onClose).toHaveBeenCalled();
  });

  it('shows a refusal above the fields, keeps the dialog open and lets the user try again', async () => {
    const onSubmit = vi.fn().mockRejectedValueOnce(new ApiError(409, 'CONFLICT', 'Ce nom est déjà pris.')).mockResolvedValueOnce(undefined);
    const { dialog, onClose } = renderDialog(onSubmit);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Créer' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('Ce nom est déjà pris.');
    expect(onClose).not.toHaveBeenCalled();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Créer' }));
    await waitFor(() => expect(within(dialog).queryByRole('alert')).toBeNull());
    expect(onSubmit).toHaveBeenCalledTimes(2);
  });

  it('disables the submit button while saving and when told to', async () => {
    let finish = () => undefined as void;
    const onSubmit = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const { dialog } = renderDialog(onSubmit);
    const submit = within(dialog).getByRole('button', { name: 'Créer' }) as HTMLButtonElement;
    fireEvent.click(submit);
    await waitFor(() => expect(submit.disabled).toBe(true));
    finish();
    await waitFor(() => expect(submit.disabled).toBe(false));
    cleanup();
    const blocked = renderDialog(vi.fn(), { disabled: true }).dialog;
    expect((within(blocked).getByRole('button', { name: 'Créer' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('speaks English when asked', () => {
    const { dialog } = renderDialog(vi.fn(), { language: 'en' });
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toBeTruthy();
  });
});
