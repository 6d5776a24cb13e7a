import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface Option<V extends string> {
  value: V;
  label: string;
}

interface Props<V extends string> {
  id: string;
  label: ReactNode;
  value: V;
  onChange: (value: V) => void;
  options: readonly Option<V>[];
  /** A first choice with the empty value, e.g. « Tous les groupes » in a filter or « — » for none. */
  emptyOption?: string;
  required?: boolean;
  className?: string;
}

/** A labelled drop-down list in a form field. */
export function SelectField<V extends string>({ id, label, value, onChange, options, emptyOption, required, className = 'field' }: Props<V>) {
  return (
    <div className={className}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} required={required} onChange={(e) => onChange(e.target.value as V)}>
        {emptyOption !== undefined && <option value="">{emptyOption}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Options for records with an id and a name (sites, partners, campaigns, groups). */
export const namedOptions = (items: readonly { id: string; name: string }[] | undefined): Option<string>[] => (items ?? []).map((i) => ({ value: i.id, label: i.name }));

export const REGIONS = ['GP', 'MQ', 'GF', 'RE', 'YT', 'FR'] as const;

/** The French region a number belongs to by default (dialling rules, suppression lists). */
export function RegionField({ id, label, value, onChange }: { id: string; label: string; value: string; onChange: (region: string) => void }) {
  const { t } = useTranslation();
  return <SelectField id={id} label={label} value={value} onChange={onChange} options={REGIONS.map((r) => ({ value: r, label: t(`campaign.regions.${r}`) }))} />;
}

/** Filters by training group (groupe de formation); the empty value is every group. */
export function GroupFilter({ id, groups, value, onChange }: { id: string; groups: readonly { id: string; name: string }[]; value: string; onChange: (groupId: string) => void }) {
  const { t } = useTranslation();
  return <SelectField id={id} label={t('floor.filter.team')} value={value} onChange={onChange} emptyOption={t('floor.filter.allTeams')} options={namedOptions(groups)} />;
}
