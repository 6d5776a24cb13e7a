import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CampaignSummary } from '@passerelle/shared/api/campaigns';
import { Dialog } from '@kit/Dialog.tsx';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { useFormat } from '@kit/format.ts';
import { useSession } from '@kit/session.tsx';
import { useApiQuery } from '@kit/useApiQuery.ts';
import { campaignsApi } from '../../api/campaigns.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

const DAY_MS = 86_400_000;

/** Retention per campaign (days after its end) and early purge with a reason (admins). */
export function RetentionPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { api } = useSession();
  const campaigns = useApiQuery('campaigns', (a) => campaignsApi(a).list());
  const [days, setDays] = useState<Record<string, string>>({});
  const [purging, setPurging] = useState<CampaignSummary | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);

  async function saveDays(c: CampaignSummary) {
    setError(null);
    try {
      await campaignsApi(api).update(c.id, { retentionDays: Number(days[c.id]) });
      setMessage(t('retention.savedDays'));
      campaigns.reload();
    } catch (err) {
      setError(err);
    }
  }
  async function purge() {
    const c = purging!;
    setError(null);
    try {
      await campaignsApi(api).purge(c.id, reason);
      setPurging(null);
      setReason('');
      setMessage(t('retention.done'));
      campaigns.reload();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <div className="page">
      <PageHeader title={t('retention.title')} description={t('retention.description')} />
      <ErrorAlert error={error ?? campaigns.error} />
      {message && (
        <p className="alert alert-success" role="status">
          {message}
        </p>
      )}
      <section className="card">
        <DataTable
          columns={[
            t('retention.col.campaign'),
            t('retention.col.status'),
            { label: t('retention.col.contacts'), className: 'num' },
            t('retention.col.days'),
            t('retention.col.endedAt'),
            t('retention.col.purgeAt'),
          ]}
          actions
          items={campaigns.data?.items}
          row={(c) => (
            <tr key={c.id}>
              <td>{c.name}</td>
              <td>{t(`campaigns.status.${c.status}`, { defaultValue: c.status })}</td>
              <td className="num">{fmt.number(c.contactCount)}</td>
              <td>
                {c.purgedAt ? (
                  c.retentionDays
                ) : (
                  <span className="btn-row">
                    <input
                      aria-label={t('retention.col.days')}
                      type="number"
                      min={1}
                      max={3650}
                      value={days[c.id] ?? String(c.retentionDays)}
                      onChange={(e) => setDays((d) => ({ ...d, [c.id]: e.target.value }))}
                    />
                    {days[c.id] !== undefined && Number(days[c.id]) !== c.retentionDays && (
                      <button type="button" className="btn btn-sm" onClick={() => void saveDays(c)}>
                        {t('retention.save')}
                      </button>
                    )}
                  </span>
                )}
              </td>
              <td>{c.endedAt ? fmt.dateTime(c.endedAt) : '—'}</td>
              <td>
                {c.purgedAt
                  ? t('retention.purged', { date: fmt.dateTime(c.purgedAt) })
                  : c.endedAt
                    ? fmt.longDate(Date.parse(c.endedAt) + c.retentionDays * DAY_MS)
                    : t('retention.notEnded')}
              </td>
              <td className="actions">
                {!c.purgedAt && (
                  <button type="button" className="btn btn-sm btn-danger" disabled={c.status === 'running'} onClick={() => setPurging(c)}>
                    {t('retention.purge')}
                  </button>
                )}
              </td>
            </tr>
          )}
        />
      </section>
      {purging && (
        <Dialog title={t('retention.purgeTitle', { name: purging.name })} onClose={() => setPurging(null)}>
          <form
            className="stack"
            onSubmit={(e) => {
              e.preventDefault();
              void purge();
            }}
          >
            <p className="alert alert-warning">{t('retention.purgeBody')}</p>
            <div className="field">
              <label htmlFor="purge-reason">{t('retention.purgeReason')}</label>
              <input id="purge-reason" required minLength={5} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
            </div>
            <div className="dialog-actions">
              <button type="button" className="btn" onClick={() => setPurging(null)}>
                {t('common.cancel')}
              </button>
              <button type="submit" className="btn btn-danger-solid" disabled={reason.trim().length < 5}>
                {t('retention.purge')}
              </button>
            </div>
          </form>
        </Dialog>
      )}
    </div>
  );
}
