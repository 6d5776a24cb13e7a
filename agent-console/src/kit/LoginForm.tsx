import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from './http.ts';
import { useErrorText, useSession, type Session } from './session.tsx';

const TITLES: Record<string, string> = {
  WORKSTATION_REQUIRED: 'login.workstationTitle',
  ACCOUNT_LOCKED: 'login.lockedTitle',
};
const HINTS: Record<string, string> = {
  WORKSTATION_REQUIRED: 'login.workstationHint',
  ACCOUNT_LOCKED: 'login.lockedHint',
};

interface Failure {
  code: string;
  message: string;
}

/** Username + password form; the error names the reason (workstation, lock, credentials) plainly. */
export function LoginForm({ onSuccess }: { onSuccess?: (session: Session) => void }) {
  const { t } = useTranslation();
  const { login, notice } = useSession();
  const errorText = useErrorText();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!username.trim() || !password) {
      setFailure({ code: 'REQUIRED', message: t('login.required') });
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      const session = await login(username.trim(), password);
      onSuccess?.(session);
    } catch (err) {
      setPassword('');
      setFailure({ code: err instanceof ApiError ? err.code : 'NETWORK_ERROR', message: errorText(err) });
    } finally {
      setBusy(false);
    }
  }

  const title = failure ? TITLES[failure.code] : undefined;
  const hint = failure ? HINTS[failure.code] : undefined;
  return (
    <form className="login-form" onSubmit={submit} noValidate aria-describedby={failure ? 'login-error' : undefined}>
      {notice && !failure && (
        <p className="alert alert-info" role="status">
          {t(`login.notice${notice[0]!.toUpperCase()}${notice.slice(1)}`)}
        </p>
      )}
      {failure && (
        <div id="login-error" className={`alert ${failure.code === 'WORKSTATION_REQUIRED' ? 'alert-warning' : 'alert-error'}`} role="alert" data-code={failure.code}>
          {title && <strong className="alert-title">{t(title)}</strong>}
          <span>{failure.message}</span>
          {hint && <span className="alert-hint">{t(hint)}</span>}
        </div>
      )}
      <div className="field">
        <label htmlFor="login-username">{t('login.username')}</label>
        <input
          id="login-username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
          autoFocus
        />
      </div>
      <div className="field">
        <label htmlFor="login-password">{t('login.password')}</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
      </div>
      <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
        {busy ? t('login.submitting') : t('login.submit')}
      </button>
    </form>
  );
}
