import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { contactFieldLabels, contactFields, type ConfirmMappingBody, type ImportView } from '@passerelle/shared/api/imports';
import { mappingFromRoles, rolesFromMapping, type ColumnRole } from './mapping.ts';

/** One row per file column: its masked sample and what it holds (suggested by the server). */
export function MappingForm({ view, onSubmit, busy }: { view: ImportView; onSubmit: (body: ConfirmMappingBody) => void; busy: boolean }) {
  const { t } = useTranslation();
  const columns = Math.max(view.headers.length, ...view.preview.map((r) => r.length));
  const [roles, setRoles] = useState<ColumnRole[]>(() => rolesFromMapping(view.suggestedMapping, columns));
  const [hasHeader, setHasHeader] = useState(view.hasHeader);
  const [acceptValidSubset, setAccept] = useState(true);
  const phones = roles.flatMap((r, i) => (r === 'phone' ? [i] : []));
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit({ mapping: mappingFromRoles(roles, view.headers), acceptValidSubset, hasHeader });
      }}
    >
      <h2 className="h3">{t('imports.mappingTitle')}</h2>
      <p className="field-hint">{t('imports.mappingHint')}</p>
      <div className="table-wrap">
        <table className="table mapping-table">
          <thead>
            <tr>
              <th scope="col">{t('imports.column')}</th>
              <th scope="col">{t('imports.sample')}</th>
              <th scope="col">{t('imports.meaning')}</th>
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: columns }, (_, i) => {
              const label = view.headers[i] || `${t('imports.column')} ${i + 1}`;
              return (
                <tr key={i}>
                  <th scope="row">{label}</th>
                  <td className="small mono">{view.preview.slice(0, 3).map((r) => r[i] ?? '').filter(Boolean).join(' · ')}</td>
                  <td>
                    <select
                      aria-label={t('imports.meaning') + ' : ' + label}
                      value={roles[i]}
                      onChange={(e) => setRoles((rs) => rs.map((r, j) => (j === i ? (e.target.value as ColumnRole) : r)))}
                    >
                      <option value="ignore">{t('imports.ignore')}</option>
                      <option value="phone">{roles[i] === 'phone' ? t('imports.phone', { n: phones.indexOf(i) + 1 }) : t('imports.phone', { n: phones.length + 1 })}</option>
                      {contactFields.map((f) => (
                        <option key={f} value={`field:${f}`}>
                          {contactFieldLabels[f]}
                        </option>
                      ))}
                      <option value="extra">{t('imports.extraField')}</option>
                    </select>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={hasHeader} onChange={(e) => setHasHeader(e.target.checked)} /> {t('imports.hasHeader')}
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={acceptValidSubset} onChange={(e) => setAccept(e.target.checked)} /> {t('imports.acceptSubset')}
      </label>
      {phones.length === 0 && (
        <p className="alert alert-warning" role="alert">
          {t('imports.needPhone')}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy || phones.length === 0}>
          {t('imports.start')}
        </button>
      </div>
    </form>
  );
}
