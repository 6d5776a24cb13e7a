import { useTranslation } from 'react-i18next';
import { useErrorText } from './session.tsx';

/** The message of a failed call, in the user's language, with a retry when one makes sense. */
export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  if (!error) return null;
  return (
    <div className="alert alert-error" role="alert">
      <span>{errorText(error)}</span>
      {onRetry && (
        <span>
          <button type="button" className="btn btn-sm" onClick={onRetry}>
            {t('common.retry')}
          </button>
        </span>
      )}
    </div>
  );
}
