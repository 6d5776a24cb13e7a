import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { useFormat } from '@kit/format.ts';
import { useApiQuery } from '@kit/useApiQuery.ts';
import { campaignsApi } from '../../api/campaigns.ts';
import { CampaignStatusBadge } from '../../campaigns/CampaignStatusBadge.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

/** The partner's own campaigns with their state and contact counts. */
export function PartnerCampaignsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const campaigns = useApiQuery('campaigns', (api) => campaignsApi(api).list());
  return (
    <div className="page">
      <PageHeader title={t('partnerNav.campaigns')} description={t('partnerHome.tiles.campaigns')} />
      <ErrorAlert error={campaigns.error} onRetry={campaigns.reload} />
      <section className="card">
        <DataTable
          caption={t('partnerNav.campaigns')}
          columns={[t('campaigns.col.name'), t('campaigns.col.type'), t('campaigns.col.status'), { label: t('campaigns.col.contacts'), className: 'num' }, t('campaigns.col.createdAt')]}
          items={campaigns.data?.items}
          loading={campaigns.loading}
          empty={t('partnerSections.campaignsEmpty')}
          row={(c) => (
            <tr key={c.id}>
              <td>{c.name}</td>
              <td>{t(`campaigns.type.${c.type}`)}</td>
              <td>
                <CampaignStatusBadge status={c.status} />
              </td>
              <td className="num">{fmt.number(c.contactCount)}</td>
              <td>{fmt.dateTime(c.createdAt)}</td>
            </tr>
          )}
        />
      </section>
    </div>
  );
}
