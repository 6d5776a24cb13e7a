import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { pauseReasons, type AgentState, type PauseReason } from '@passerelle/shared/agent-state';
import type { AckResult } from '@passerelle/shared/events';

export interface StatusControlsProps {
  state: AgentState;
  /** False while the server link is down: actions would go nowhere. */
  online: boolean;
  onReady: () => Promise<AckResult>;
  onPause: (reason: PauseReason) => Promise<AckResult>;
  /** Opened from the keyboard shortcut. */
  pauseMenuRequest?: number;
}

/** Ready / Pause (with the reason) in the status bar; the server decides, the bar shows the result. */
export function StatusControls({ state, online, onReady, onPause, pauseMenuRequest = 0 }: StatusControlsProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const firstReason = useRef<HTMLButtonElement>(null);
  const canReady = online && (state.status === 'paused' || state.status === 'offline');
  const canPause = online && state.status !== 'offline' && !(state.status === 'paused');

  useEffect(() => {
    if (pauseMenuRequest > 0 && canPause) setOpen(true);
  }, [pauseMenuRequest, canPause]);
  useEffect(() => {
    if (open) firstReason.current?.focus();
  }, [open]);

  const run = async (action: () => Promise<AckResult>) => {
    setBusy(true);
    setError(null);
    const result = await action();
    setBusy(false);
    if (!result.ok) setError(result.message);
  };

  return (
    <div className="status-controls">
      <button type="button" className="btn btn-primary" disabled={!canReady || busy} onClick={() => void run(onReady)} aria-keyshortcuts="Alt+R">
        ● {t('controls.ready')}
      </button>
      <div className="pause-menu">
        <button
          type="button"
          className="btn"
          disabled={!canPause || busy}
          aria-expanded={open}
          aria-haspopup="true"
          aria-controls="pause-reasons"
          aria-keyshortcuts="Alt+P"
          onClick={() => setOpen((o) => !o)}
        >
          ❚❚ {t('controls.pause')}
        </button>
        {open && (
          <div
            className="pause-reasons card"
            id="pause-reasons"
            role="group"
            aria-label={t('controls.pauseReasons')}
            onKeyDown={(e) => {
              if (e.key === 'Escape') setOpen(false);
            }}
          >
            {state.status !== 'ready' && state.status !== 'paused' && <p className="field-hint">{t('controls.pauseAfterCall')}</p>}
            {pauseReasons.map((reason, i) => (
              <button
                key={reason}
                ref={i === 0 ? firstReason : undefined}
                type="button"
                className="btn btn-block"
                onClick={() => {
                  setOpen(false);
                  void run(() => onPause(reason));
                }}
              >
                {t(`status.pauseReason.${reason}`)}
              </button>
            ))}
            <button type="button" className="btn btn-ghost btn-block" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </button>
          </div>
        )}
      </div>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
