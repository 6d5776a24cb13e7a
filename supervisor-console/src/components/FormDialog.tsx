import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '@kit/Dialog.tsx';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';

interface Props {
  title: string;
  onClose: () => void;
  /** Saves the form; the caller closes the dialog when it is done. A failure is shown in the dialog, which stays open. */
  onSubmit: () => unknown;
  submitLabel: string;
  children: ReactNode;
  /** Keeps the submit button disabled, e.g. while the form is incomplete (it is also while saving). */
  disabled?: boolean;
  /** An error from outside the form, e.g. a list it needs that did not load. */
  error?: unknown;
  wide?: boolean;
  className?: string;
}

/** A modal form: the error above the fields, Cancel and the submit button below them. */
export function FormDialog({ title, onClose, onSubmit, submitLabel, children, disabled = false, error, wide, className }: Props) {
  const { t } = useTranslation();
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      await onSubmit();
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={title} onClose={onClose} wide={wide}>
      <form className={className} onSubmit={submit}>
        <ErrorAlert error={failure ?? error} />
        {children}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={disabled || busy}>
            {submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
