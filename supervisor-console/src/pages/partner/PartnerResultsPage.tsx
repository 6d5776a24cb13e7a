import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { SITE_TIME_ZONE, useFormat } from '@kit/format.ts';
import { useApiQuery } from '@kit/useApiQuery.ts';
import { allResults, campaignsApi } from '../../api/campaigns.ts';
import { DailyChart } from '../../campaigns/DailyChart.tsx';
import { dailyStats, outcomeCounts } from '../../campaigns/dailyStats.ts';
import { OutcomeChips } from '../../campaigns/OutcomeChips.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { namedOptions, SelectField } from '../../components/SelectField.tsx';

/** The partner's results: contacts by state, outcomes, appointments with dates, CSV export. */
export function PartnerResultsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const campaigns = useApiQuery('campaigns', (a) => campaignsApi(a).list());
  const [campaignId, setCampaignId] = useState('');
  const selected = campaignId || campaigns.data?.items[0]?.id || '';
  const results = useApiQuery(`results:${selected}`, (a) => (selected ? allResults(a, selected) : Promise.resolve(null)));
  const items = useMemo(() => results.data?.items ?? [], [results.data]);
  const stats = useMemo(() => dailyStats(items, new Date(), 14, SITE_TIME_ZONE), [items]);
  const outcomes = useMemo(() => outcomeCounts(items), [items]);
  const appointments = useMemo(() => items.filter((r) => r.appointmentAt).sort((a, b) => a.appointmentAt!.localeCompare(b.appointmentAt!)), [items]);
  return (
    <div className="page">
      <PageHeader
        title={t('results.title')}
        description={t('results.description')}
        actions={
          selected && (
            <a className="btn" href={`/api/campaigns/${selected}/results.csv`} download data-testid="results-csv">
              {t('results.exportCsv')}
            </a>
          )
        }
      />
      <ErrorAlert error={campaigns.error ?? results.error} onRetry={results.reload} />
      <div className="toolbar">
        <SelectField id="res-campaign" label={t('results.campaign')} value={selected} onChange={setCampaignId} options={namedOptions(campaigns.data?.items)} />
      </div>
      {results.data && (
        <>
          <section className="card card-body stack">
            <h2 className="h3">{t('results.counts')}</h2>
            <div className="kpis" data-testid="results-counts">
              {Object.entries(results.data.counts).map(([k, n]) => (
                <div className="kpi" key={k}>
                  <span className="kpi-value">{fmt.number(n)}</span>
                  <span className="kpi-label">{t(`results.status.${k}`, { defaultValue: k })}</span>
                </div>
              ))}
            </div>
            <OutcomeChips outcomes={outcomes} label={t('campaign.outcomes')} />
          </section>
          <section className="card card-body stack">
            <h2 className="h3">{t('campaign.chart.title')}</h2>
            <DailyChart stats={stats} />
          </section>
          <section className="card">
            <h2 className="h3 card-body">{t('results.appointments')}</h2>
            <DataTable
              testId="appointments"
              columns={[t('results.col.appointmentAt'), t('results.col.place'), t('results.col.ref'), { label: t('results.col.attempts'), className: 'num' }]}
              items={appointments}
              empty={t('results.noAppointments')}
              row={(r) => (
                <tr key={r.contactId}>
                  <td>{fmt.dateTime(r.appointmentAt!)}</td>
                  <td>{r.appointmentPlace ?? '—'}</td>
                  <td>{r.customerRef ?? '—'}</td>
                  <td className="num">{r.attempts}</td>
                </tr>
              )}
            />
          </section>
        </>
      )}
    </div>
  );
}
