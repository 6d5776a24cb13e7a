import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { campaignTypes, type CampaignType } from '@passerelle/shared/api/campaigns';
import { Dialog } from '@kit/Dialog.tsx';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { useFormat } from '@kit/format.ts';
import { useSession } from '@kit/session.tsx';
import { useApiQuery } from '@kit/useApiQuery.ts';
import { campaignsApi } from '../../api/campaigns.ts';
import { PageHeader } from '../../components/PageHeader.tsx';

export const STATUS_TONE: Record<string, string> = {
  draft: '',
  ready: 'badge-info',
  running: 'badge-success',
  paused: 'badge-warning',
  finished: 'badge-violet',
  archived: '',
};

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
        <div className="table-wrap">
          <table className="table" aria-busy={campaigns.loading}>
            <caption className="visually-hidden">{t('campaign.listTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('campaigns.col.name')}</th>
                <th scope="col">{t('campaigns.col.type')}</th>
                <th scope="col">{t('campaigns.col.status')}</th>
                <th scope="col" className="num">{t('campaigns.col.contacts')}</th>
                <th scope="col">{t('campaign.retention')}</th>
                <th scope="col">{t('campaigns.col.createdAt')}</th>
              </tr>
            </thead>
            <tbody>
              {campaigns.data?.items.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/campagnes/${c.id}`}>{c.name}</Link>
                  </td>
                  <td>{t(`campaigns.type.${c.type}`)}</td>
                  <td>
                    <span className={`badge ${STATUS_TONE[c.status] ?? ''}`}>{t(`campaigns.status.${c.status}`, { defaultValue: c.status })}</span>
                    {c.purgedAt && <span className="badge badge-danger">{t('campaign.purged')}</span>}
                  </td>
                  <td className="num">{fmt.number(c.contactCount)}</td>
                  <td>{t('campaign.retentionDays', { n: c.retentionDays })}</td>
                  <td>{fmt.dateTime(c.createdAt)}</td>
                </tr>
              ))}
              {campaigns.data?.items.length === 0 && (
                <tr>
                  <td colSpan={6} className="empty-state">
                    {t('partnerSections.campaignsEmpty')}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
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
  const [error, setError] = useState<unknown>(null);
  const items = (partners.data?.items ?? []).filter((p) => p.active);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const created = await campaignsApi(api).create({ name, partnerId: partnerId || items[0]!.id, type, defaultRegion: region });
      navigate(`/campagnes/${created.id}`);
    } catch (err) {
      setError(err);
    }
  }
  return (
    <Dialog title={t('campaign.new')} onClose={onClose}>
      <form className="stack" onSubmit={submit}>
        <ErrorAlert error={error ?? partners.error} />
        <div className="field">
          <label htmlFor="c-name">{t('campaigns.col.name')}</label>
          <input id="c-name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="c-partner">{t('campaign.partner')}</label>
          <select id="c-partner" required value={partnerId || items[0]?.id || ''} onChange={(e) => setPartnerId(e.target.value)}>
            {items.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="c-type">{t('campaigns.col.type')}</label>
          <select id="c-type" value={type} onChange={(e) => setType(e.target.value as CampaignType)}>
            {campaignTypes.map((k) => (
              <option key={k} value={k}>
                {t(`campaigns.type.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="c-region">{t('campaign.region')}</label>
          <select id="c-region" value={region} onChange={(e) => setRegion(e.target.value)}>
            {['GP', 'MQ', 'GF', 'RE', 'YT', 'FR'].map((r) => (
              <option key={r} value={r}>
                {t(`campaign.regions.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={!items.length}>
            {t('campaign.create')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
