import { reachedOutcomes } from '@passerelle/shared/api/campaign-engine';
import type { ContactResult } from '@passerelle/shared/api/campaigns';

export interface DayStat {
  /** YYYY-MM-DD in the site's time zone. */
  day: string;
  attempted: number;
  reached: number;
}

const dayOf = (iso: string, timeZone: string) => new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));

/**
 * Contacts by the day of their latest call, and how many of them were reached, over the last
 * `days` days (the results API gives each contact's latest attempt, not every attempt).
 */
export function dailyStats(items: readonly ContactResult[], now: Date, days: number, timeZone: string): DayStat[] {
  const out: DayStat[] = [];
  const index = new Map<string, DayStat>();
  for (let i = days - 1; i >= 0; i--) {
    const day = dayOf(new Date(now.getTime() - i * 86_400_000).toISOString(), timeZone);
    const stat = { day, attempted: 0, reached: 0 };
    out.push(stat);
    index.set(day, stat);
  }
  for (const r of items) {
    if (!r.lastAttemptAt) continue;
    const stat = index.get(dayOf(r.lastAttemptAt, timeZone));
    if (!stat) continue;
    stat.attempted++;
    if (r.lastOutcome && (reachedOutcomes as readonly string[]).includes(r.lastOutcome)) stat.reached++;
  }
  return out;
}

/** Contacts per latest outcome, most frequent first. */
export function outcomeCounts(items: readonly ContactResult[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of items) if (r.lastOutcome) counts.set(r.lastOutcome, (counts.get(r.lastOutcome) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}
