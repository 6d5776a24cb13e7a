import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { useApiQuery } from '@kit/useApiQuery.ts';
import { adminApi } from '../../api/admin.ts';
import { ApiKeyManager } from '../../components/ApiKeyManager.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { SelectField } from '../../components/SelectField.tsx';

export function ApiKeysAdminPage() {
  const { t } = useTranslation();
  const partners = useApiQuery('partners', (a) => adminApi(a).listPartners());
  const [chosen, setChosen] = useState('');
  const partnerId = chosen || partners.data?.items[0]?.id || '';
  return (
    <div className="page">
      <PageHeader title={t('apiKeys.adminTitle')} description={t('apiKeys.adminDescription')} />
      <ErrorAlert error={partners.error} onRetry={partners.reload} />
      <div className="toolbar">
        <SelectField
          id="keys-partner"
          label={t('apiKeys.partner')}
          value={partnerId}
          onChange={setChosen}
          options={(partners.data?.items ?? []).map((p) => ({ value: p.id, label: p.active ? p.name : `${p.name} (${t('partners.inactive')})` }))}
        />
      </div>
      {partnerId ? <ApiKeyManager key={partnerId} partnerId={partnerId} /> : !partners.loading && <p className="empty-state">{t('partners.empty')}</p>}
    </div>
  );
}
