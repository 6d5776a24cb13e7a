import { useTranslation } from 'react-i18next';
import { useFormat } from '@kit/format.ts';
import { PageHeader } from '../components/PageHeader.tsx';

const LEGEND = [
  ['ready', 'badge-success', '●'],
  ['call', 'badge-info', '✆'],
  ['wrap', 'badge-violet', '✎'],
  ['paused', 'badge-warning', '❚❚'],
  ['offline', '', '○'],
  ['help', 'badge-danger', '!'],
] as const;

/** The live floor: one row per trainee (filled by the realtime supervision module). */
export function FloorPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <div className="page">
      <PageHeader title={t('floor.title')} description={t('floor.description', { date: fmt.longDate(Date.now()) })} />
      <div className="legend" aria-label={t('floor.legend')}>
        {LEGEND.map(([key, tone, icon]) => (
          <span key={key} className={`badge ${tone}`}>
            <span aria-hidden="true">{icon}</span> {t(`floor.state.${key}`)}
          </span>
        ))}
      </div>
      <section className="card">
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('floor.tableCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('floor.col.trainee')}</th>
                <th scope="col">{t('floor.col.state')}</th>
                <th scope="col" className="num">{t('floor.col.timer')}</th>
                <th scope="col">{t('floor.col.campaign')}</th>
                <th scope="col">{t('floor.col.call')}</th>
                <th scope="col">{t('floor.col.health')}</th>
                <th scope="col" className="actions">{t('floor.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td colSpan={7} className="empty-state">
                  {t('floor.empty')}
                </td>
              </tr>
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
