import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';

/** The trainee's own evaluations (read only); the assessment module fills it. */
export function ProgressPage() {
  const { t } = useTranslation();
  return (
    <div>
      <header className="page-head">
        <h1>{t('progress.title')}</h1>
        <p className="muted">{t('progress.intro')}</p>
      </header>
      <section className="card">
        <p className="empty-state">{t('progress.empty')}</p>
      </section>
      <p className="page-foot">
        <Link to="/">{t('progress.back')}</Link>
      </p>
    </div>
  );
}
