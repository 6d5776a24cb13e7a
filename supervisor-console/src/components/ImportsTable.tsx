import { useTranslation } from 'react-i18next';
import type { ImportView } from '@passerelle/shared/api/imports';
import { useFormat } from '@kit/format.ts';
import { DataTable } from './DataTable.tsx';

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
    <DataTable
      caption={t('imports.caption')}
      columns={[
        t('imports.col.file'),
        t('imports.col.status'),
        ...(['read', 'imported', 'rejected'] as const).map((k) => ({ label: t(`imports.col.${k}`), className: 'num' })),
        t('imports.col.createdAt'),
      ]}
      actions
      items={items}
      empty={t('imports.empty')}
      row={(i) => (
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
      )}
    />
  );
}
