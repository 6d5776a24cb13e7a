import { Navigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '@kit/session.tsx';
import { landingFor } from '../components/RequireRole.tsx';

/** Trainees use the agent console; this page says so instead of showing staff screens. */
export function WrongConsole() {
  const { t } = useTranslation();
  const { logout, session } = useSession();
  if (session && session.user.role !== 'trainee') return <Navigate to={landingFor(session.user.role)} replace />;
  return (
    <div className="login-page">
      <main className="login-card" id="main">
        <h1 className="login-title">{t('wrongConsole.title')}</h1>
        <p className="alert alert-warning" role="alert">
          {t('wrongConsole.body')}
        </p>
        <div className="btn-row">
          <a className="btn btn-primary" href="/agent/">
            {t('wrongConsole.link')}
          </a>
          <button type="button" className="btn" onClick={() => void logout()}>
            {t('common.logout')}
          </button>
        </div>
      </main>
    </div>
  );
}
