import { useTranslation } from 'react-i18next';
import { useSession } from '@kit/session.tsx';
import { Shell, type NavSection } from './Shell.tsx';

/** Trainers and admins: the floor, and the administration for admins. */
export function StaffLayout() {
  const { t } = useTranslation();
  const { session } = useSession();
  const nav: NavSection[] = [
    {
      items: [
        { to: '/plateau', label: t('nav.floor') },
        { to: '/campagnes', label: t('staffNav.campaigns') },
        { to: '/heures', label: t('staffNav.hours') },
      ],
    },
    {
      title: t('assessment.nav.section'),
      items: [
        { to: '/evaluations', label: t('assessment.nav.evaluations') },
        { to: '/progression', label: t('assessment.nav.progress') },
        { to: '/matrice', label: t('assessment.nav.matrix') },
        { to: '/bilans', label: t('assessment.nav.reviews') },
        { to: '/calibrage', label: t('assessment.nav.calibration') },
        { to: '/mises-en-situation', label: t('assessment.nav.practice') },
        { to: '/grilles', label: t('assessment.nav.grids') },
      ],
    },
  ];
  if (session?.user.role === 'admin') {
    nav.push({
      title: t('nav.admin'),
      items: [
        { to: '/admin/utilisateurs', label: t('nav.users') },
        { to: '/admin/postes', label: t('nav.workstations') },
        { to: '/admin/groupes', label: t('nav.teams') },
        { to: '/admin/partenaires', label: t('nav.partners') },
        { to: '/admin/cles-api', label: t('nav.apiKeys') },
        { to: '/admin/audit', label: t('nav.audit') },
        { to: '/admin/blocage', label: t('staffNav.blocklist') },
        { to: '/admin/conservation', label: t('staffNav.retention') },
        { to: '/admin/queues', label: t('queues.link'), external: true },
      ],
    });
  }
  return <Shell area={t('app.staffArea')} nav={nav} />;
}
