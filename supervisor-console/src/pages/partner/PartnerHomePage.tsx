import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useApiQuery } from '@kit/useApiQuery.ts';
import { adminApi } from '../../api/admin.ts';
import { PageHeader } from '../../components/PageHeader.tsx';

const SECTIONS = [
  ['campaigns', '/partenaire/campagnes'],
  ['imports', '/partenaire/imports'],
  ['results', '/partenaire/resultats'],
  ['apiKeys', '/partenaire/cles-api'],
] as const;

/** Landing page of the partner area. */
export function PartnerHomePage() {
  const { t } = useTranslation();
  const me = useApiQuery('partner-me', (a) => adminApi(a).partnerMe());
  return (
    <div className="page">
      <PageHeader title={t('partnerHome.title')} description={me.data ? t('partnerHome.company', { name: me.data.name }) : t('partnerHome.description')} />
      <p className="partner-intro">{t('partnerHome.intro')}</p>
      <div className="tile-grid">
        {SECTIONS.map(([key, to]) => (
          <Link key={key} to={to} className="tile card">
            <span className="tile-title">{t(`partnerNav.${key}`)}</span>
            <span className="tile-body">{t(`partnerHome.tiles.${key}`)}</span>
          </Link>
        ))}
        <a href="/docs" target="_blank" rel="noopener" className="tile card">
          <span className="tile-title">
            {t('partnerNav.docs')} <span aria-hidden="true">↗</span>
          </span>
          <span className="tile-body">{t('partnerHome.tiles.docs')}</span>
        </a>
      </div>
      <section className="card notice-card" aria-labelledby="privacy-title">
        <div className="card-body">
          <h2 id="privacy-title" className="h3">
            {t('partnerHome.privacyTitle')}
          </h2>
          <p className="muted">{t('partnerHome.privacyBody')}</p>
        </div>
      </section>
    </div>
  );
}
