import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProgressFilter } from './api.ts';

/** "29/11/2026" → "2026-11-29" (days are the site's); null when not such a date. */
export function frenchDateToIso(text: string): string | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/** Period (typed French dates) and campaign type filters for progress views. */
export function ProgressFilters({ onApply }: { onApply: (f: ProgressFilter) => void }) {
  const { t } = useTranslation();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [type, setType] = useState('');
  const [bad, setBad] = useState(false);
  const apply = () => {
    const f = from.trim() ? frenchDateToIso(from) : undefined;
    const tt = to.trim() ? frenchDateToIso(to) : undefined;
    if (f === null || tt === null) return setBad(true);
    setBad(false);
    onApply({ from: f, to: tt, campaignType: type || undefined });
  };
  return (
    <>
      <div className="field">
        <label htmlFor="pf-from">{t('assessment.filter.from')}</label>
        <input id="pf-from" value={from} placeholder="jj/mm/aaaa" onChange={(e) => setFrom(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="pf-to">{t('assessment.filter.to')}</label>
        <input id="pf-to" value={to} placeholder="jj/mm/aaaa" onChange={(e) => setTo(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="pf-type">{t('assessment.filter.type')}</label>
        <select id="pf-type" value={type} onChange={(e) => setType(e.target.value)}>
          <option value="">{t('assessment.list.all')}</option>
          {['appointment', 'loyalty', 'after_sales', 'practice'].map((c) => (
            <option key={c} value={c}>
              {c === 'practice' ? t('assessment.kind.practice') : t(`assessment.campaignType.${c}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <button type="button" className="btn" onClick={apply}>
          {t('assessment.filter.apply')}
        </button>
        {bad && <span className="field-error">{t('assessment.filter.badDate')}</span>}
      </div>
    </>
  );
}
