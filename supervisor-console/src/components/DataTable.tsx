import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export type Column = string | { label: string; className?: string };

interface Props<T> {
  columns: readonly Column[];
  /** None yet (loading, not asked): neither rows nor the empty state. */
  items: readonly T[] | null | undefined;
  /** One item's `<tr>`, with its key. */
  row: (item: T) => ReactNode;
  /** Names the table for screen readers (visually hidden). */
  caption?: string;
  /** A last column for the rows' buttons; its heading is for screen readers only. */
  actions?: boolean;
  /** Shown across the table when `items` is an empty list. */
  empty?: ReactNode;
  loading?: boolean;
  className?: string;
  testId?: string;
  footer?: ReactNode;
}

/** A dense table of items (the design system's `.table`), scrolling sideways on narrow screens. */
export function DataTable<T>({ columns, items, row, caption, actions = false, empty, loading, className, testId, footer }: Props<T>) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table className={className ? `table ${className}` : 'table'} aria-busy={loading} data-testid={testId}>
        {caption && <caption className="visually-hidden">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((c) => {
              const { label, className: cls } = typeof c === 'string' ? { label: c, className: undefined } : c;
              return (
                <th key={label} scope="col" className={cls}>
                  {label}
                </th>
              );
            })}
            {actions && (
              <th scope="col" className="actions">
                <span className="visually-hidden">{t('common.actions')}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {items?.map((item) => row(item))}
          {empty !== undefined && items?.length === 0 && (
            <tr>
              <td colSpan={columns.length + (actions ? 1 : 0)} className="empty-state">
                {empty}
              </td>
            </tr>
          )}
        </tbody>
        {footer}
      </table>
    </div>
  );
}

/** A row's « Modifier » button; `label` names the row for screen readers, e.g. « Modifier Partenaire A ». */
export function EditButton({ label, onClick }: { label: string; onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="btn btn-sm" onClick={onClick} aria-label={label}>
      {t('common.edit')}
    </button>
  );
}
