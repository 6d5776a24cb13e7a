import { useTranslation } from 'react-i18next';
import { isCanvassing, LEGAL_CANVASSING_WINDOWS, SERVICE_HOURS_BOUNDS, validateWindows, type CallingWindow } from '@passerelle/shared/calling-rules';
import type { CampaignType } from '@passerelle/shared/api/campaigns';

const DAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** Weekly calling windows, next to what the law allows for the campaign type (checked live). */
export function WindowsEditor({ type, windows, onChange }: { type: CampaignType; windows: CallingWindow[]; onChange: (w: CallingWindow[]) => void }) {
  const { t } = useTranslation();
  const bounds = isCanvassing(type) ? LEGAL_CANVASSING_WINDOWS : SERVICE_HOURS_BOUNDS;
  const errors = validateWindows(type, windows);
  const set = (i: number, w: CallingWindow) => onChange(windows.map((x, j) => (j === i ? w : x)));
  const dayList = (days: readonly number[]) => days.map((d) => t(`campaign.day.${d}`)).join(', ');
  return (
    <div className="campaign-section">
      <div className="alert alert-info law-preview" data-testid="law-preview">
        <strong className="alert-title">{isCanvassing(type) ? t('campaign.windows.lawCanvassing') : t('campaign.windows.lawService')}</strong>
        <ul>
          {bounds.map((b, i) => (
            <li key={i}>
              {dayList(b.days)} · {b.start}–{b.end}
            </li>
          ))}
        </ul>
        <span className="alert-hint">{t('campaign.windows.holidays')}</span>
      </div>
      {windows.map((w, i) => (
        <div className="window-row" key={i}>
          <fieldset className="day-toggles">
            <legend className="visually-hidden">{t('campaign.windows.days', { n: i + 1 })}</legend>
            {DAYS.map((d) => (
              <label key={d}>
                <input
                  type="checkbox"
                  checked={w.days.includes(d)}
                  onChange={(e) => set(i, { ...w, days: e.target.checked ? [...w.days, d].sort() : w.days.filter((x) => x !== d) })}
                />
                {t(`campaign.day.${d}`)}
              </label>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor={`w-start-${i}`}>{t('campaign.windows.start')}</label>
            <input id={`w-start-${i}`} type="time" value={w.start} onChange={(e) => set(i, { ...w, start: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={`w-end-${i}`}>{t('campaign.windows.end')}</label>
            <input id={`w-end-${i}`} type="time" value={w.end} onChange={(e) => set(i, { ...w, end: e.target.value })} />
          </div>
          <button type="button" className="btn btn-sm btn-ghost" onClick={() => onChange(windows.filter((_, j) => j !== i))}>
            {t('campaign.remove')}
          </button>
        </div>
      ))}
      <div className="btn-row">
        <button type="button" className="btn btn-sm" onClick={() => onChange([...windows, { days: [1, 2, 3, 4, 5], start: bounds[0]!.start, end: bounds[0]!.end }])}>
          {t('campaign.windows.add')}
        </button>
        <button type="button" className="btn btn-sm btn-ghost" onClick={() => onChange(bounds.map((b) => ({ ...b, days: [...b.days] })))}>
          {t('campaign.windows.useLaw')}
        </button>
      </div>
      {errors.length > 0 && (
        <ul className="alert alert-warning" role="alert">
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
