import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgentCurrentCall, OfferPayload, WhisperNotice } from '@passerelle/shared/events';
import type { UseSoftphone } from '../../kit/softphone/index.ts';
import { Dialog } from '../../kit/Dialog.tsx';
import { formatDuration } from '../../kit/format.ts';
import { useTick } from '../../kit/useTick.ts';
import type { FarEnd } from '../../agent/live.ts';
import { ShortcutHint } from '../shortcuts.tsx';

export const skipReasons = ['knows_contact', 'language', 'not_now', 'other'] as const;

const FAR_ICON: Record<FarEnd, string> = { waiting: '…', ringing: '♪', answered: '✆', busy: '⛔', no_answer: '∅', hung_up: '✕', failed: '!' };

export interface CallPanelProps {
  offer: OfferPayload | null;
  call: AgentCurrentCall;
  farEnd: FarEnd | null;
  phone: UseSoftphone;
  /** When the call was answered (browser clock ms), for the call timer. */
  answeredAt: number | null;
  /** Progressive mode: when the console dials by itself (browser clock ms). */
  autoDialAt: number | null;
  onDial: () => void;
  onHangup: () => void;
  /** The server says a call is up but this page has no line to it (reloaded or reopened mid-call). */
  lineLost: boolean;
  onMute: () => void;
  onSkip: (reason: string) => Promise<string | null>;
  /** A trainer is whispering into this call. */
  whisper?: WhisperNotice | null;
}

/** Call controls: countdown (progressive), call now / skip, hang up, mute, hold, timer and far-end status. */
export function CallPanel({ offer, call, farEnd, phone, answeredAt, autoDialAt, onDial, onHangup, lineLost, onMute, onSkip, whisper }: CallPanelProps) {
  const { t } = useTranslation();
  const now = useTick(true);
  const [skipping, setSkipping] = useState(false);
  const sip = phone.state;
  const live = sip.call.status === 'calling' || sip.call.status === 'ringing' || sip.call.status === 'in_call';
  const offered = call.status === 'offered' && !live;
  const lineReady = sip.health === 'ready';
  const countdown = offered && autoDialAt ? Math.max(0, Math.ceil((autoDialAt - now) / 1000)) : null;
  // A new offer: the last call's failure ("busy"…) is about the previous contact, not this one.
  const previousCallError = offered && sip.call.status === 'ended' && lineReady;

  return (
    <section className="card call-panel" aria-labelledby="call-title">
      <div className="card-header">
        <h2 id="call-title">{t('call.title')}</h2>
        {farEnd && (
          <span className={`far-end far-${farEnd}`} data-testid="far-end" role="status">
            <span aria-hidden="true">{FAR_ICON[farEnd]}</span> {t(`farEnd.${farEnd}`)}
          </span>
        )}
      </div>
      <div className="card-body stack">
        {offered && offer?.mode === 'progressive' && countdown !== null && (
          <p className="countdown" role="timer" aria-live="polite" data-testid="countdown">
            {t('call.countdown', { seconds: countdown })}
          </p>
        )}
        {offered && !lineReady && <p className="alert alert-warning">{t('call.lineNotReady')}</p>}
        {lineLost && (
          <p className="alert alert-warning" role="alert" data-testid="line-lost">
            {t('call.lineLost')}
          </p>
        )}
        <div className="call-timer" aria-label={t('call.timer')}>
          <span className="visually-hidden">{t('agent.labelled', { label: t('call.timer') })}</span>
          <span data-testid="call-timer">{formatDuration(answeredAt ? Math.floor((now - answeredAt) / 1000) : 0)}</span>
        </div>
        <div className="btn-row call-buttons">
          {offered ? (
            <>
              <button type="button" className="btn btn-primary btn-call" disabled={!lineReady || !offer} onClick={onDial} aria-keyshortcuts="Alt+A">
                ✆ {t(offer?.mode === 'progressive' ? 'call.callNow' : 'call.call')}
              </button>
              <button type="button" className="btn" onClick={() => setSkipping(true)}>
                ⤼ {t('call.skip')}
              </button>
            </>
          ) : (
            <>
              <button type="button" className="btn btn-danger-solid" disabled={!live && !lineLost} onClick={onHangup} aria-keyshortcuts="Alt+H">
                ✕ {t('call.hangup')}
              </button>
              <button type="button" className="btn" disabled={sip.call.status !== 'in_call'} aria-pressed={sip.call.muted} onClick={onMute} aria-keyshortcuts="Alt+M">
                {sip.call.muted ? `◉ ${t('call.unmute')}` : `○ ${t('call.mute')}`}
              </button>
              <button type="button" className="btn" disabled={sip.call.status !== 'in_call'} aria-pressed={sip.call.held} onClick={() => phone.hold(!sip.call.held)}>
                {sip.call.held ? `▶ ${t('call.resume')}` : `❚❚ ${t('call.hold')}`}
              </button>
            </>
          )}
        </div>
        <ShortcutHint actions={offered ? ['call'] : ['hangup', 'mute']} />
        {sip.call.muted && <p className="badge badge-warning">{t('call.mutedNotice')}</p>}
        {sip.call.held && <p className="badge badge-warning">{t('call.heldNotice')}</p>}
        {whisper?.active && live && (
          <p className="alert alert-info whisper-banner" role="status" data-testid="whisper-banner" data-audio={sip.whisper ? 'on' : 'connecting'}>
            <span aria-hidden="true">◗</span> {whisper.by ? t('call.whisperBy', { name: whisper.by }) : t('call.whisper')}
          </p>
        )}
        {sip.error && !previousCallError && (
          <p className="alert alert-error" role="alert">
            {sip.error}
          </p>
        )}
        <p className="field-hint" data-testid="monitoring-notice">
          {t('call.monitoringNotice')}
        </p>
      </div>
      {skipping && <SkipDialog onClose={() => setSkipping(false)} onSkip={onSkip} />}
    </section>
  );
}

function SkipDialog({ onClose, onSkip }: { onClose: () => void; onSkip: (reason: string) => Promise<string | null> }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog title={t('call.skipTitle')} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!reason) return setError(t('call.skipReasonRequired'));
          void onSkip(reason).then((err) => (err ? setError(err) : onClose()));
        }}
      >
        <fieldset className="field">
          <legend className="field-label">{t('call.skipReason')}</legend>
          {skipReasons.map((r) => (
            <label key={r} className="choice">
              <input type="radio" name="skip-reason" value={r} checked={reason === r} onChange={() => setReason(r)} /> {t(`call.skipReasons.${r}`)}
            </label>
          ))}
        </fieldset>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="btn-row">
          <button type="submit" className="btn btn-primary">
            {t('call.skipConfirm')}
          </button>
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
