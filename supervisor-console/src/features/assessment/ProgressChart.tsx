import { useTranslation } from 'react-i18next';
import { useFormat } from '@kit/format.ts';

interface Series {
  key: string;
  label: string;
  points: { at: string; value: number | null; practice?: boolean }[];
}

const W = 720;
const H = 260;
const PAD = { left: 36, right: 12, top: 12, bottom: 28 };

/** Scores over time (SVG, no inline style): one line per series, practice calls as hollow dots. */
export function ProgressChart({ series, min, max, pass }: { series: Series[]; min: number; max: number; pass: number }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const times = series.flatMap((s) => s.points.map((p) => new Date(p.at).getTime()));
  if (times.length === 0) return <p className="empty-state">{t('assessment.progress.noData')}</p>;
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const x = (at: string) => PAD.left + (t1 === t0 ? 0.5 : (new Date(at).getTime() - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - (v - min) / (max - min)) * (H - PAD.top - PAD.bottom);
  const levels = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('assessment.progress.chartLabel')}>
        {levels.map((l) => (
          <g key={l}>
            <line className="chart-grid" x1={PAD.left} x2={W - PAD.right} y1={y(l)} y2={y(l)} />
            <text className="chart-axis" x={PAD.left - 8} y={y(l) + 4} textAnchor="end">
              {l}
            </text>
          </g>
        ))}
        <line className="chart-pass" x1={PAD.left} x2={W - PAD.right} y1={y(pass)} y2={y(pass)} />
        <text className="chart-axis" x={PAD.left} y={H - 8}>
          {fmt.dateTime(new Date(t0)).slice(0, 10)}
        </text>
        <text className="chart-axis" x={W - PAD.right} y={H - 8} textAnchor="end">
          {fmt.dateTime(new Date(t1)).slice(0, 10)}
        </text>
        {series.map((s, i) => {
          const pts = s.points.filter((p): p is { at: string; value: number; practice?: boolean } => p.value !== null);
          return (
            <g key={s.key} className={`chart-series chart-series-${i}`}>
              <polyline points={pts.map((p) => `${x(p.at)},${y(p.value)}`).join(' ')} />
              {pts.map((p) => (
                <circle key={p.at} className={p.practice ? 'chart-dot-practice' : 'chart-dot'} cx={x(p.at)} cy={y(p.value)} r={4}>
                  <title>{`${s.label} — ${fmt.dateTime(p.at)} : ${p.value.toFixed(2)}`}</title>
                </circle>
              ))}
            </g>
          );
        })}
      </svg>
      <figcaption className="chart-legend">
        {series.map((s, i) => (
          <span key={s.key} className={`chart-key chart-key-${i}`}>
            {s.label}
          </span>
        ))}
        <span className="chart-key chart-key-pass">{t('assessment.progress.passLine')}</span>
      </figcaption>
    </figure>
  );
}
