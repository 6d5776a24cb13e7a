import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { useApiQuery } from '@kit/useApiQuery.ts';
import { adminApi } from '../../api/admin.ts';
import { ApiKeyManager } from '../../components/ApiKeyManager.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

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
        <div className="field">
          <label htmlFor="keys-partner">{t('apiKeys.partner')}</label>
          <select id="keys-partner" value={partnerId} onChange={(e) => setChosen(e.target.value)}>
            {partners.data?.items.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
                {p.active ? '' : ` (${t('partners.inactive')})`}
              </option>
            ))}
          </select>
        </div>
      </div>
      {partnerId ? <ApiKeyManager key={partnerId} partnerId={partnerId} /> : !partners.loading && <p className="empty-state">{t('partners.empty')}</p>}
    </div>
  );
}
