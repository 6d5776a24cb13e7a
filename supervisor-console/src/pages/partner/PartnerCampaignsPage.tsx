import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { useFormat } from '@kit/format.ts';
import { useApiQuery } from '@kit/useApiQuery.ts';
import { campaignsApi } from '../../api/campaigns.ts';
import { PageHeader } from '../../components/PageHeader.tsx';

const STATUS_TONE: Record<string, string> = {
  draft: '',
  ready: 'badge-info',
  running: 'badge-success',
  paused: 'badge-warning',
  finished: 'badge-violet',
  archived: '',
};

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
        <div className="table-wrap">
          <table className="table" aria-busy={campaigns.loading}>
            <caption className="visually-hidden">{t('partnerNav.campaigns')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('campaigns.col.name')}</th>
                <th scope="col">{t('campaigns.col.type')}</th>
                <th scope="col">{t('campaigns.col.status')}</th>
                <th scope="col" className="num">{t('campaigns.col.contacts')}</th>
                <th scope="col">{t('campaigns.col.createdAt')}</th>
              </tr>
            </thead>
            <tbody>
              {campaigns.data?.items.map((c) => (
                <tr key={c.id}>
                  <td>{c.name}</td>
                  <td>{t(`campaigns.type.${c.type}`)}</td>
                  <td>
                    <span className={`badge ${STATUS_TONE[c.status] ?? ''}`}>{t(`campaigns.status.${c.status}`, { defaultValue: c.status })}</span>
                  </td>
                  <td className="num">{fmt.number(c.contactCount)}</td>
                  <td>{fmt.dateTime(c.createdAt)}</td>
                </tr>
              ))}
              {campaigns.data?.items.length === 0 && (
                <tr>
                  <td colSpan={5} className="empty-state">
                    {t('partnerSections.campaignsEmpty')}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
