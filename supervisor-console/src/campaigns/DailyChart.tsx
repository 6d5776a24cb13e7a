import { useTranslation } from 'react-i18next';
import type { DayStat } from './dailyStats.ts';

const W = 640;
const H = 200;
const PAD = { left: 32, right: 8, top: 10, bottom: 28 };

/**
 * Bars per day (inline SVG: no chart library, nothing external). `attempts`: every dialled
 * attempt (staff, from the daily endpoint); `contacts`: contacts by the day of their latest call
 * (the partner's results).
 */
export function DailyChart({ stats, series = 'contacts' }: { stats: DayStat[]; series?: 'attempts' | 'contacts' }) {
  const { t } = useTranslation();
  const attemptedOn = series === 'attempts' ? 'campaign.chart.attemptsOn' : 'campaign.chart.attemptedOn';
  const max = Math.max(1, ...stats.map((s) => s.attempted));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, stats.length);
  const bar = Math.max(2, slot * 0.38);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  return (
    <figure className="stack">
      <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('campaign.chart.label')}>
        <line className="axis" x1={PAD.left} x2={W - PAD.right} y1={PAD.top + plotH} y2={PAD.top + plotH} />
        <text x={4} y={PAD.top + 8}>
          {max}
        </text>
        <text x={4} y={PAD.top + plotH}>
          0
        </text>
        {stats.map((s, i) => {
          const x = PAD.left + i * slot + slot / 2 - bar;
          return (
            <g key={s.day}>
              <rect className="bar-attempts" x={x} y={y(s.attempted)} width={bar} height={PAD.top + plotH - y(s.attempted)}>
                <title>{t(attemptedOn, { day: s.day, n: s.attempted })}</title>
              </rect>
              <rect className="bar-reached" x={x + bar} y={y(s.reached)} width={bar} height={PAD.top + plotH - y(s.reached)}>
                <title>{t('campaign.chart.reachedOn', { day: s.day, n: s.reached })}</title>
              </rect>
              {(stats.length <= 14 || i % 2 === 0) && (
                <text x={PAD.left + i * slot + slot / 2} y={H - 10} textAnchor="middle">
                  {s.day.slice(8, 10)}/{s.day.slice(5, 7)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="small">
        <span className="legend-swatch attempts" aria-hidden="true" />
        {t(series === 'attempts' ? 'campaign.chart.attemptsSeries' : 'campaign.chart.attempted')} · <span className="legend-swatch reached" aria-hidden="true" />
        {t(series === 'attempts' ? 'campaign.chart.reachedSeries' : 'campaign.chart.reached')}
      </figcaption>
    </figure>
  );
}
