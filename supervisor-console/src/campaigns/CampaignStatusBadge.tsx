import { useTranslation } from 'react-i18next';

const TONE: Record<string, string> = {
  draft: '',
  ready: 'badge-info',
  running: 'badge-success',
  paused: 'badge-warning',
  finished: 'badge-violet',
  archived: '',
};

/** A campaign's state as a coloured badge. */
export function CampaignStatusBadge({ status, testId }: { status: string; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge ${TONE[status] ?? ''}`} data-testid={testId}>
      {t(`campaigns.status.${status}`, { defaultValue: status })}
    </span>
  );
}
