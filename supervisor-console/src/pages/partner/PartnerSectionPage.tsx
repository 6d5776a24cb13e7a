import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader.tsx';

type Section = 'imports' | 'results';

/** Frame of a partner-area section; the import and results modules fill it in. */
export function PartnerSectionPage({ section }: { section: Section }) {
  const { t } = useTranslation();
  return (
    <div className="page">
      <PageHeader title={t(`partnerNav.${section}`)} description={t(`partnerHome.tiles.${section}`)} />
      <section className="card">
        <p className="empty-state">{t(`partnerSections.${section}Empty`)}</p>
      </section>
    </div>
  );
}
