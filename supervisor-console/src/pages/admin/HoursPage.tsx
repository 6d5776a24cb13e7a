import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { HoursRow } from '@passerelle/shared/api/reports';
import { withQuery } from '@kit/http.ts';
import { ErrorAlert } from '@kit/ErrorAlert.tsx';
import { parseSiteDateTime, useFormat } from '@kit/format.ts';
import { useSession } from '@kit/session.tsx';
import { opsApi } from '../../api/ops.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

const DAY_MS = 86_400_000;
const ddmmyyyy = (d: Date) => new Intl.DateTimeFormat('fr-FR', { timeZone: 'America/Guadeloupe', day: '2-digit', month: '2-digit', year: 'numeric' }).format(d);
const hhmm = (minutes: number) => `${Math.floor(minutes / 60)} h ${String(Math.round(minutes % 60)).padStart(2, '0')}`;

/** Working-hours report per trainee (day or week), with the CSV the establishment keeps. */
export function HoursPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { api } = useSession();
  const [from, setFrom] = useState(() => ddmmyyyy(new Date(Date.now() - 6 * DAY_MS)));
  const [to, setTo] = useState(() => ddmmyyyy(new Date()));
  const [group, setGroup] = useState<'day' | 'week'>('day');
  const [rows, setRows] = useState<HoursRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const range = useMemo(() => {
    const f = parseSiteDateTime(from);
    const tEnd = parseSiteDateTime(to);
    return f && tEnd ? { from: f, to: new Date(Date.parse(tEnd) + DAY_MS).toISOString(), group } : null;
  }, [from, to, group]);

  async function show(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!range) return setError(new Error(t('audit.dateFormat')));
    try {
      setRows((await opsApi(api).hours(range)).items);
    } catch (err) {
      setError(err);
    }
  }

  const totals = rows?.reduce((s, r) => ({ worked: s.worked + r.workedMinutes, productive: s.productive + r.productiveMinutes, inCall: s.inCall + r.inCallMinutes, paused: s.paused + r.pausedMinutes }), {
    worked: 0,
    productive: 0,
    inCall: 0,
    paused: 0,
  });

  return (
    <div className="page">
      <PageHeader title={t('hours.title')} description={t('hours.description')} />
      <form className="toolbar filters" onSubmit={show}>
        <div className="field">
          <label htmlFor="h-from">{t('hours.from')}</label>
          <input id="h-from" value={from} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="h-to">{t('hours.to')}</label>
          <input id="h-to" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="h-group">{t('hours.group')}</label>
          <select id="h-group" value={group} onChange={(e) => setGroup(e.target.value as 'day' | 'week')}>
            <option value="day">{t('hours.day')}</option>
            <option value="week">{t('hours.week')}</option>
          </select>
        </div>
        <div className="btn-row">
          <button type="submit" className="btn btn-primary">
            {t('hours.show')}
          </button>
          {range && (
            <a className="btn" href={withQuery('/api/reports/hours', { ...range, format: 'csv' })} download>
              {t('hours.csv')}
            </a>
          )}
        </div>
      </form>
      <ErrorAlert error={error} />
      {rows && (
        <section className="card">
          <DataTable
            caption={t('hours.title')}
            columns={[
              t('hours.col.trainee'),
              t('hours.col.period'),
              ...(['worked', 'productive', 'inCall', 'paused'] as const).map((k) => ({ label: t(`hours.col.${k}`), className: 'num' })),
            ]}
            items={rows}
            empty={t('hours.empty')}
            row={(r) => (
              <tr key={`${r.userId}-${r.period}`}>
                <td>{r.displayName}</td>
                <td>{fmt.longDate(`${r.period}T12:00:00Z`)}</td>
                <td className="num">{hhmm(r.workedMinutes)}</td>
                <td className="num">{hhmm(r.productiveMinutes)}</td>
                <td className="num">{hhmm(r.inCallMinutes)}</td>
                <td className="num">{hhmm(r.pausedMinutes)}</td>
              </tr>
            )}
            footer={
              totals &&
              rows.length > 0 && (
                <tfoot>
                  <tr>
                    <th scope="row" colSpan={2}>
                      {t('hours.total')}
                    </th>
                    <td className="num">{hhmm(totals.worked)}</td>
                    <td className="num">{hhmm(totals.productive)}</td>
                    <td className="num">{hhmm(totals.inCall)}</td>
                    <td className="num">{hhmm(totals.paused)}</td>
                  </tr>
                </tfoot>
              )
            }
          />
        </section>
      )}
    </div>
  );
}
