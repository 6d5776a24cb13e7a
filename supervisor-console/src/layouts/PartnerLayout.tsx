import { useTranslation } from 'react-i18next';
import { Shell } from './Shell.tsx';

/** The partner company's restricted area, with its own navigation. */
export function PartnerLayout() {
  const { t } = useTranslation();
  return (
    <Shell
      area={t('app.partnerArea')}
      nav={[
        {
          items: [
            { to: '/partenaire', label: t('partnerNav.home'), end: true },
            { to: '/partenaire/campagnes', label: t('partnerNav.campaigns') },
            { to: '/partenaire/imports', label: t('partnerNav.imports') },
            { to: '/partenaire/resultats', label: t('partnerNav.results') },
            { to: '/partenaire/cles-api', label: t('partnerNav.apiKeys') },
          ],
        },
        { title: t('partnerNav.help'), items: [{ to: '/docs', label: t('partnerNav.docs'), external: true }] },
      ]}
    />
  );
}
