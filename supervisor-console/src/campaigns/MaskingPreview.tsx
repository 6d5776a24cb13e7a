import { useTranslation } from 'react-i18next';
import { maskedCard, type CardFields, type MaskingPolicy } from '@passerelle/shared/masking';

/** A synthetic contact (fictitious, documented test range) to show what the policy lets agents see. */
export const SAMPLE_CONTACT: CardFields = {
  firstName: 'Marie-Claire',
  lastName: 'Exemple',
  phone: '+590690001234',
  postalCode: '97122',
  city: 'Baie-Mahault',
  customerRef: 'CLI-2026-004521',
  extra: { Produit: 'Box fibre', 'Date d’achat': '12/03/2025' },
};

/** The agent's card for the synthetic contact, computed with the same function as the server. */
export function MaskingPreview({ policy }: { policy: MaskingPolicy }) {
  const { t } = useTranslation();
  const card = maskedCard(SAMPLE_CONTACT, policy);
  const rows: [string, string | null][] = [
    [t('masking.field.name'), card.name],
    [t('masking.field.phone'), card.phone],
    [t('masking.field.city'), card.city],
    [t('masking.field.department'), card.department],
    [t('masking.field.customerRef'), card.customerRef],
    ...Object.entries(card.extra),
  ];
  return (
    <div className="masked-card" data-testid="masked-card" aria-live="polite">
      <p className="small muted">{t('masking.previewTitle')}</p>
      <dl>
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt>{label}</dt>
            <dd data-field={label}>{value ?? <span className="muted">{t('masking.hidden')}</span>}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** The policy's controls; the preview follows every change. */
export function MaskingEditor({ policy, onChange, extraColumns }: { policy: MaskingPolicy; onChange: (p: MaskingPolicy) => void; extraColumns: string[] }) {
  const { t } = useTranslation();
  const set = <K extends keyof MaskingPolicy>(k: K, v: MaskingPolicy[K]) => onChange({ ...policy, [k]: v });
  const columns = [...new Set([...extraColumns, ...policy.extra])];
  return (
    <div className="form-grid">
      <div className="field">
        <label htmlFor="mask-name">{t('masking.field.name')}</label>
        <select id="mask-name" value={policy.name} onChange={(e) => set('name', e.target.value as MaskingPolicy['name'])}>
          {(['first_name_initial', 'initials', 'hidden'] as const).map((v) => (
            <option key={v} value={v}>
              {t(`masking.name.${v}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="mask-phone">{t('masking.field.phone')}</label>
        <select id="mask-phone" value={policy.phone} onChange={(e) => set('phone', e.target.value as MaskingPolicy['phone'])}>
          <option value="last2">{t('masking.phone.last2')}</option>
          <option value="hidden">{t('masking.hiddenOption')}</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="mask-postal">{t('masking.field.department')}</label>
        <select id="mask-postal" value={policy.postalCode} onChange={(e) => set('postalCode', e.target.value as MaskingPolicy['postalCode'])}>
          <option value="department">{t('masking.postal.department')}</option>
          <option value="hidden">{t('masking.hiddenOption')}</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="mask-ref">{t('masking.field.customerRef')}</label>
        <select id="mask-ref" value={policy.customerRef} onChange={(e) => set('customerRef', e.target.value as MaskingPolicy['customerRef'])}>
          <option value="last4">{t('masking.ref.last4')}</option>
          <option value="hidden">{t('masking.hiddenOption')}</option>
        </select>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={policy.city} onChange={(e) => set('city', e.target.checked)} /> {t('masking.showCity')}
      </label>
      <fieldset className="field">
        <legend>{t('masking.extra')}</legend>
        {columns.map((c) => (
          <label key={c} className="checkbox">
            <input
              type="checkbox"
              checked={policy.extra.includes(c)}
              onChange={(e) => set('extra', e.target.checked ? [...policy.extra, c] : policy.extra.filter((x) => x !== c))}
            />{' '}
            {c}
          </label>
        ))}
      </fieldset>
    </div>
  );
}
