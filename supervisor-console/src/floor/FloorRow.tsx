import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgentView, LiveAttempt, SupervisionSession, SupervisorAlert } from '@passerelle/shared/events';
import { isInCall, rowAlert, type AgentHealthView, type HelpRequest, type Thresholds } from './floorState.ts';
import { HealthIcons } from './HealthIcons.tsx';
import { LiveDuration } from './LiveDuration.tsx';

export type RowAction = 'listen' | 'stop_listen' | 'hangup' | 'force_pause' | 'force_logout' | 'ack_help' | 'close_help';

export interface FloorRowProps {
  agent: AgentView;
  attempt: LiveAttempt | null;
  campaignName: string | null;
  help: HelpRequest | null;
  /** Latest connection alert about this trainee (heartbeat lost, disconnected). */
  health: SupervisorAlert | null;
  /** Phone/headset health its console reports (null: unknown). */
  device: AgentHealthView | null;
  /** Server-clock seconds for the long-call/long-pause checks (refreshed every few seconds; timers tick on their own). */
  nowSec: number;
  thresholds: Thresholds;
  listening: boolean;
  /** Every trainer listening to or whispering into this trainee's call. */
  listeners: readonly SupervisionSession[];
  onAction: (action: RowAction, agent: AgentView, attempt: LiveAttempt | null, help: HelpRequest | null) => void;
}

const STATE_TONE: Record<string, string> = {
  ready: 'badge-success',
  offered: 'badge-info',
  dialing: 'badge-info',
  ringing: 'badge-info',
  in_call: 'badge-info',
  wrap_up: 'badge-violet',
  paused: 'badge-warning',
  offline: '',
};

/** One trainee on the floor: state and timer, campaign, call, health, alerts and actions. */
export const FloorRow = memo(function FloorRow({ agent, attempt, campaignName, help, health, device, nowSec, thresholds, listening, listeners, onAction }: FloorRowProps) {
  const { t } = useTranslation();
  const nowMs = nowSec * 1000;
  const alert = rowAlert(agent, attempt, help, nowMs, thresholds, device);
  const live = attempt !== null && isInCall(attempt.status);
  const stateLabel = agent.status === 'paused' && agent.reason ? `${t('floor.status.paused')} · ${t(`floor.pause.${agent.reason}`)}` : t(`floor.status.${agent.status}`);
  return (
    <tr className={`floor-row${alert ? ` floor-alert floor-alert-${alert}` : ''}`} data-user-id={agent.userId} data-status={agent.status}>
      <th scope="row">
        <span className="floor-name">{agent.displayName}</span>
        {help && (
          <span className={`badge ${help.status === 'acknowledged' ? 'badge-info' : 'badge-danger'} floor-help`} data-testid="help-badge">
            <span aria-hidden="true">!</span> {help.status === 'acknowledged' ? t('floor.help.acknowledgedBy', { name: help.acknowledgedBy ?? '' }) : t('floor.help.pending')}
          </span>
        )}
      </th>
      <td>
        <span className={`badge floor-state ${STATE_TONE[agent.status] ?? ''}`} data-testid="state">
          {stateLabel}
        </span>
        {agent.pendingPause && <span className="cell-sub">{t('floor.pendingPause', { reason: t(`floor.pause.${agent.pendingPause}`) })}</span>}
      </td>
      <td className="num mono">
        <LiveDuration since={agent.since} testId="state-timer" />
      </td>
      <td>{campaignName ?? <span className="muted">—</span>}</td>
      <td data-testid="call">
        {attempt ? (
          <>
            <span className="floor-far-end">{t(`floor.farEnd.${attempt.status}`)}</span>
            {attempt.answeredAt && <LiveDuration since={attempt.answeredAt} className="mono floor-call-timer" testId="call-timer" />}
            {listening && <span className="badge badge-violet floor-listening">{t('floor.listening')}</span>}
            {listeners.length > 0 && (
              <span className="cell-sub" data-testid="row-listeners">
                {t('floor.listeners', { names: listeners.map((l) => (l.kind === 'whisper' ? `${l.supervisorName} (${t('floor.whisperTag')})` : l.supervisorName)).join(', ') })}
              </span>
            )}
          </>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="floor-health">
        {agent.status === 'offline' ? (
          <span className="muted">{t('floor.health.offline')}</span>
        ) : (
          <>
            <HealthIcons health={device} />
            {health ? (
              <span className="badge badge-warning" title={health.message}>
                {t(`floor.health.${health.kind}`)}
              </span>
            ) : (
              <span className="badge badge-success">{t('floor.health.ok')}</span>
            )}
          </>
        )}
        {alert === 'phone' && (
          <span className="badge badge-danger floor-flag" data-testid="phone-alert">
            {t('floor.alert.phone')}
          </span>
        )}
        {alert === 'long_call' && <span className="badge badge-danger floor-flag">{t('floor.alert.longCall')}</span>}
        {alert === 'long_pause' && <span className="badge badge-warning floor-flag">{t('floor.alert.longPause')}</span>}
      </td>
      <td className="actions">
        <div className="btn-row btn-row-end">
          {help?.status === 'open' && (
            <button type="button" className="btn btn-sm btn-danger-solid" onClick={() => onAction('ack_help', agent, attempt, help)}>
              {t('floor.help.ack')}
            </button>
          )}
          {help?.status === 'acknowledged' && (
            <button type="button" className="btn btn-sm" onClick={() => onAction('close_help', agent, attempt, help)}>
              {t('floor.help.close')}
            </button>
          )}
          {live && attempt.status === 'in_call' && (
            <button
              type="button"
              className="btn btn-sm"
              aria-pressed={listening}
              aria-label={t(listening ? 'floor.action.stopListenNamed' : 'floor.action.listenNamed', { name: agent.displayName })}
              onClick={() => onAction(listening ? 'stop_listen' : 'listen', agent, attempt, help)}
            >
              {listening ? t('floor.action.stopListen') : t('floor.action.listen')}
            </button>
          )}
          {live && (
            <button
              type="button"
              className="btn btn-sm btn-danger"
              aria-label={t('floor.action.hangupNamed', { name: agent.displayName })}
              onClick={() => onAction('hangup', agent, attempt, help)}
            >
              {t('floor.action.hangup')}
            </button>
          )}
          {agent.status !== 'offline' && (
            <>
              <button type="button" className="btn btn-sm btn-ghost" disabled={agent.status === 'paused'} onClick={() => onAction('force_pause', agent, attempt, help)}>
                {t('floor.action.pause')}
              </button>
              <button type="button" className="btn btn-sm btn-ghost" onClick={() => onAction('force_logout', agent, attempt, help)}>
                {t('floor.action.logout')}
              </button>
            </>
          )}
        </div>
      </td>
    </tr>
  );
});
