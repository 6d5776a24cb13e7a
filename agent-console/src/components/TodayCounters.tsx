import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDuration, useFormat } from '../kit/format.ts';
import type { ApiClient } from '../kit/http.ts';

/** What GET /api/agents/me/today answers (the dialer's figures for the trainee's site day). */
export interface TodayFigures {
  calls: number;
  talkSeconds: number;
  appointments: number;
}

/**
 * Today's calls, talk time and appointments, from the server (so a reload never loses them).
 * Hidden while the server offers no such figures: counting events in the browser would be wrong
 * after a reload.
 */
export function TodayCounters({ api, refreshKey }: { api: ApiClient; refreshKey: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [figures, setFigures] = useState<TodayFigures | null>(null);
  useEffect(() => {
    let alive = true;
    api.get<TodayFigures>('/api/agents/me/today').then(
      (f) => alive && setFigures(f),
      () => alive && setFigures(null),
    );
    return () => {
      alive = false;
    };
  }, [api, refreshKey]);
  if (!figures) return null;
  return (
    <dl className="today" aria-label={t('today.label')} data-testid="today">
      <div>
        <dt>{t('today.calls')}</dt>
        <dd>{fmt.number(figures.calls)}</dd>
      </div>
      <div>
        <dt>{t('today.talk')}</dt>
        <dd>{formatDuration(figures.talkSeconds)}</dd>
      </div>
      <div>
        <dt>{t('today.appointments')}</dt>
        <dd>{fmt.number(figures.appointments)}</dd>
      </div>
    </dl>
  );
}
