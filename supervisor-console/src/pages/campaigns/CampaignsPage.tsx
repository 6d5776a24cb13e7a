import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { campaignTypes, type CampaignType } from '@passerelle/shared/api/campaigns';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { useFormat } from '@kit/format.ts';
import { useSession } from '@kit/session.tsx';
import { useApiQuery } from '@kit/useApiQuery.ts';
import { campaignsApi } from '../../api/campaigns.ts';
import { CampaignStatusBadge } from '../../campaigns/CampaignStatusBadge.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { FormDialog } from '../../components/FormDialog.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { namedOptions, RegionField, SelectField } from '../../components/SelectField.tsx';

/** Every campaign (staff), with its state and contacts; creation for a partner. */
export function CampaignsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const campaigns = useApiQuery('campaigns', (api) => campaignsApi(api).list());
  const [creating, setCreating] = useState(false);
  return (
    <div className="page">
      <PageHeader
        title={t('campaign.listTitle')}
        description={t('campaign.listDesc')}
        actions={
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
            {t('campaign.new')}
          </button>
        }
      />
      <ErrorAlert error={campaigns.error} onRetry={campaigns.reload} />
      <section className="card">
        <DataTable
          caption={t('campaign.listTitle')}
          columns={[
            t('campaigns.col.name'),
            t('campaigns.col.type'),
            t('campaigns.col.status'),
            { label: t('campaigns.col.contacts'), className: 'num' },
            t('campaign.retention'),
            t('campaigns.col.createdAt'),
          ]}
          items={campaigns.data?.items}
          loading={campaigns.loading}
          empty={t('partnerSections.campaignsEmpty')}
          row={(c) => (
            <tr key={c.id}>
              <td>
                <Link to={`/campagnes/${c.id}`}>{c.name}</Link>
              </td>
              <td>{t(`campaigns.type.${c.type}`)}</td>
              <td>
                <CampaignStatusBadge status={c.status} />
                {c.purgedAt && <span className="badge badge-danger">{t('campaign.purged')}</span>}
              </td>
              <td className="num">{fmt.number(c.contactCount)}</td>
              <td>{t('campaign.retentionDays', { n: c.retentionDays })}</td>
              <td>{fmt.dateTime(c.createdAt)}</td>
            </tr>
          )}
        />
      </section>
      {creating && <CreateCampaignDialog onClose={() => setCreating(false)} />}
    </div>
  );
}

function CreateCampaignDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { api } = useSession();
  const navigate = useNavigate();
  const partners = useApiQuery('partner-choices', (a) => campaignsApi(a).partners());
  const [name, setName] = useState('');
  const [partnerId, setPartnerId] = useState('');
  const [type, setType] = useState<CampaignType>('appointment');
  const [region, setRegion] = useState('GP');
  const items = (partners.data?.items ?? []).filter((p) => p.active);
  async function submit() {
    const created = await campaignsApi(api).create({ name, partnerId: partnerId || items[0]!.id, type, defaultRegion: region });
    navigate(`/campagnes/${created.id}`);
  }
  return (
    <FormDialog title={t('campaign.new')} onClose={onClose} onSubmit={submit} submitLabel={t('campaign.create')} disabled={!items.length} error={partners.error} className="stack">
      <div className="field">
        <label htmlFor="c-name">{t('campaigns.col.name')}</label>
        <input id="c-name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <SelectField id="c-partner" label={t('campaign.partner')} value={partnerId || items[0]?.id || ''} onChange={setPartnerId} options={namedOptions(items)} required />
      <SelectField id="c-type" label={t('campaigns.col.type')} value={type} onChange={setType} options={campaignTypes.map((k) => ({ value: k, label: t(`campaigns.type.${k}`) }))} />
      <RegionField id="c-region" label={t('campaign.region')} value={region} onChange={setRegion} />
    </FormDialog>
  );
}
