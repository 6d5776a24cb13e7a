import { useTranslation } from 'react-i18next';
import type { ImportView } from '@passerelle/shared/api/imports';
import { useFormat } from '@kit/format.ts';

export const IMPORT_TONE: Record<string, string> = {
  uploaded: 'badge-info',
  queued: 'badge-info',
  processing: 'badge-info',
  committing: 'badge-info',
  awaiting_confirmation: 'badge-warning',
  completed: 'badge-success',
  rejected: 'badge-danger',
  failed: 'badge-danger',
  cancelled: '',
};

/** Files of a campaign with their state and counts; the error report for those with refused rows. */
export function ImportsTable({ items, onOpen }: { items: ImportView[]; onOpen?: (i: ImportView) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{t('imports.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('imports.col.file')}</th>
            <th scope="col">{t('imports.col.status')}</th>
            <th scope="col" className="num">{t('imports.col.read')}</th>
            <th scope="col" className="num">{t('imports.col.imported')}</th>
            <th scope="col" className="num">{t('imports.col.rejected')}</th>
            <th scope="col">{t('imports.col.createdAt')}</th>
            <th scope="col" className="actions">
              <span className="visually-hidden">{t('imports.col.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.id} data-import-id={i.id}>
              <td>{i.fileName}</td>
              <td>
                <span className={`badge ${IMPORT_TONE[i.status] ?? ''}`}>{t(`imports.status.${i.status}`)}</span>
              </td>
              <td className="num">{fmt.number(i.counts.read)}</td>
              <td className="num">{fmt.number(i.counts.imported)}</td>
              <td className="num">{fmt.number(i.counts.rejected)}</td>
              <td>{fmt.dateTime(i.createdAt)}</td>
              <td className="actions">
                <div className="btn-row btn-row-end">
                  {i.counts.rejected > 0 && (
                    <a className="btn btn-sm" href={`/api/imports/${i.id}/errors.csv`} download>
                      {t('imports.errorsCsv')}
                    </a>
                  )}
                  {onOpen && (
                    <button type="button" className="btn btn-sm btn-ghost" onClick={() => onOpen(i)}>
                      {t('imports.open')}
                    </button>
                  )}
                </div>
              </td>
            </tr>
          ))}
          {items.length === 0 && (
            <tr>
              <td colSpan={7} className="empty-state">
                {t('imports.empty')}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
