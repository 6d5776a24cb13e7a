import { useTranslation } from 'react-i18next';
import { LanguageSwitcher } from './LanguageSwitcher.tsx';
import { LoginForm } from './LoginForm.tsx';
import type { Session } from './session.tsx';

/** The full-page sign-in of a console: product name, console name, form, language choice. */
export function LoginScreen({ consoleName, onSuccess }: { consoleName: string; onSuccess?: (s: Session) => void }) {
  const { t } = useTranslation();
  return (
    <div className="login-page">
      <main className="login-card" id="main">
        <header className="login-header">
          <span className="brand-mark" aria-hidden="true">P</span>
          <div>
            <p className="brand-name">{t('common.brand')}</p>
            <p className="login-console">{consoleName}</p>
          </div>
        </header>
        <h1 className="login-title">{t('login.title')}</h1>
        <LoginForm onSuccess={onSuccess} />
        <footer className="login-footer">
          <LanguageSwitcher />
        </footer>
      </main>
    </div>
  );
}
