import { DEFAULT_THRESHOLDS, type Thresholds } from './floorState.ts';

/** Alert thresholds are a screen preference (no personal data): kept in localStorage. */
const KEY = 'passerelle.floor.thresholds';

export function loadThresholds(): Thresholds {
  try {
    const raw = JSON.parse(globalThis.localStorage?.getItem(KEY) ?? 'null') as Partial<Thresholds> | null;
    const ok = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n >= 30 && n <= 4 * 3600;
    return {
      longCallSeconds: ok(raw?.longCallSeconds) ? raw!.longCallSeconds! : DEFAULT_THRESHOLDS.longCallSeconds,
      longPauseSeconds: ok(raw?.longPauseSeconds) ? raw!.longPauseSeconds! : DEFAULT_THRESHOLDS.longPauseSeconds,
    };
  } catch {
    return DEFAULT_THRESHOLDS;
  }
}

export function saveThresholds(t: Thresholds): void {
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify(t));
  } catch {
    // Storage disabled by policy: the thresholds last for the page only.
  }
}
