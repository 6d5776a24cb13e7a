import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgentState, AgentStatus } from '@passerelle/shared/agent-state';
import { formatDuration } from '../kit/format.ts';

export type HealthLevel = 'ok' | 'warning' | 'down' | 'unknown';
export interface HealthItem {
  id: 'server' | 'sip' | 'audio';
  level: HealthLevel;
  /** Plain-language sentence: what is happening and what to do. */
  detail: string;
}

export interface StatusBarProps {
  /** The server's view of the agent (the console only renders it). */
  state: AgentState;
  /** When the current state began (epoch ms); the timer counts from there. */
  since: number;
  health: HealthItem[];
  /** Actions and counters shown in the band (Ready/Pause, today's figures, help). */
  children?: ReactNode;
}

/** Each state has a shape as well as a colour, so colour is never the only signal. */
const STATE_ICON: Record<AgentStatus, string> = {
  offline: '○',
  ready: '●',
  offered: '◆',
  dialing: '↗',
  ringing: '♪',
  in_call: '✆',
  wrap_up: '✎',
  paused: '❚❚',
};
/** Colour family of each state (the CSS class). */
const STATE_TONE: Record<AgentStatus, string> = {
  offline: 'offline',
  ready: 'ready',
  offered: 'call',
  dialing: 'call',
  ringing: 'call',
  in_call: 'call',
  wrap_up: 'wrap',
  paused: 'paused',
};
const LEVEL_ICON: Record<HealthLevel, string> = { ok: '✓', warning: '!', down: '✕', unknown: '?' };

function useElapsedSeconds(since: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [since]);
  return Math.max(0, Math.floor((now - since) / 1000));
}

/** The always-visible band: agent state with its timer, and the health of each link. */
export function StatusBar({ state, since, health, children }: StatusBarProps) {
  const { t } = useTranslation();
  const elapsed = useElapsedSeconds(since);
  const { status } = state;
  const label =
    status === 'paused' && state.reason ? t('status.pausedWith', { reason: t(`status.pauseReason.${state.reason}`) }) : t(`status.state.${status}`);
  const problem = health.find((h) => h.level === 'down') ?? health.find((h) => h.level === 'warning');

  return (
    <section className="statusbar" aria-label={t('status.label')}>
      <div className={`agent-state tone-${STATE_TONE[status]}`} data-state={status}>
        <span className="state-icon" aria-hidden="true">
          {STATE_ICON[status]}
        </span>
        <span className="state-label" aria-live="polite">
          {label}
        </span>
        <span className="state-timer" title={t('status.timer')}>
          <span className="visually-hidden">{t('agent.labelled', { label: t('status.timer') })}</span>
          <span data-testid="state-timer">{formatDuration(elapsed)}</span>
        </span>
      </div>
      {state.pendingPause && (
        <span className="badge badge-warning" data-testid="pending-pause">
          {t('status.pendingPause', { reason: t(`status.pauseReason.${state.pendingPause}`) })}
        </span>
      )}
      {children}
      <ul className="health" aria-label={t('status.health')}>
        {health.map((h) => (
          <li key={h.id} className={`health-item level-${h.level}`} title={h.detail} data-health={h.id} data-level={h.level}>
            <span className="health-icon" aria-hidden="true">
              {LEVEL_ICON[h.level]}
            </span>
            <span className="health-name">{t(`status.item.${h.id}`)}</span>
            <span className="health-level">{t(`status.level.${h.level}`)}</span>
          </li>
        ))}
      </ul>
      {problem && (
        <p className={`health-message level-${problem.level}`} role="alert">
          {problem.detail}
        </p>
      )}
    </section>
  );
}
