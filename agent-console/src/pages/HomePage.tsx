import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../kit/format.ts';
import { useCurrentSession } from '../kit/session.tsx';

export function HomePage() {
  const { t } = useTranslation();
  const { user, idleTimeoutSeconds } = useCurrentSession();
  const fmt = useFormat();
  return (
    <div className="home">
      <header className="page-head">
        <h1>{t('home.greeting', { name: user.displayName })}</h1>
        <p className="muted">{t('home.today', { date: fmt.longDate(Date.now()) })}</p>
      </header>
      <div className="home-grid">
        <section className="card" aria-labelledby="home-progress">
          <div className="card-header">
            <h2 id="home-progress">{t('home.progress.title')}</h2>
          </div>
          <div className="card-body stack">
            <p>{t('home.progress.body')}</p>
            <p>
              <Link className="btn btn-primary" to="/progression">
                {t('home.progress.open')}
              </Link>
            </p>
          </div>
        </section>
        <section className="card" aria-labelledby="home-session">
          <div className="card-header">
            <h2 id="home-session">{t('home.session.title')}</h2>
          </div>
          <dl className="card-body facts">
            <dt>{t('home.session.pseudonym')}</dt>
            <dd>{user.displayName}</dd>
            <dt>{t('home.session.workstationBound')}</dt>
            <dd>{t('home.session.workstationBoundValue')}</dd>
            <dt>{t('home.session.idleLock')}</dt>
            <dd>{t('home.session.idleLockValue', { minutes: fmt.number(Math.round(idleTimeoutSeconds / 60)) })}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="home-help">
          <div className="card-header">
            <h2 id="home-help">{t('home.help.title')}</h2>
          </div>
          <div className="card-body">
            <p>{t('home.help.body')}</p>
          </div>
        </section>
      </div>
    </div>
  );
}
