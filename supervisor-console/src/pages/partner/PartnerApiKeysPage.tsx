import { useTranslation } from 'react-i18next';
import { useCurrentSession } from '@kit/session.tsx';
import { ApiKeyManager } from '../../components/ApiKeyManager.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

export function PartnerApiKeysPage() {
  const { t } = useTranslation();
  const { user } = useCurrentSession();
  return (
    <div className="page">
      <PageHeader title={t('apiKeys.partnerTitle')} description={t('apiKeys.partnerDescription')} />
      <p className="small">
        <a href="/docs" target="_blank" rel="noopener">
          {t('partnerNav.docs')} ↗
        </a>
      </p>
      {user.partnerId && <ApiKeyManager partnerId={user.partnerId} />}
    </div>
  );
}
