import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDuration } from '../format.ts';
import { useTick } from '../useTick.ts';
import type { UseSoftphone } from './useSoftphone.ts';

/**
 * Line controls of a practice call, for the trainee and for the trainer playing the customer:
 * call state and timer, answer (incoming), hang up, mute, headset microphone and its level.
 */
export function PhoneControls({ phone }: { phone: UseSoftphone }) {
  const { t } = useTranslation();
  const { call, health, error, micLevel, microphoneId } = phone.state;
  const now = useTick(call.status === 'in_call');
  const [mics, setMics] = useState<MediaDeviceInfo[]>([]);
  const micField = useId();
  // The hook's object changes with every state update (level meter): list devices once the line is up.
  const phoneRef = useRef(phone);
  phoneRef.current = phone;
  useEffect(() => {
    if (health === 'ready') void phoneRef.current.microphones().then(setMics, () => undefined);
  }, [health]);
  // Audio both ways, once a second: the trainer and the trainee see that sound flows.
  const [audio, setAudio] = useState({ bytesSent: 0, bytesReceived: 0 });
  const inCall = call.status === 'in_call';
  useEffect(() => {
    if (!inCall) return;
    const timer = window.setInterval(() => void phoneRef.current.stats().then((s) => s && setAudio(s), () => undefined), 1000);
    return () => window.clearInterval(timer);
  }, [inCall]);
  const live = ['calling', 'ringing', 'incoming', 'in_call'].includes(call.status);
  return (
    <div className="phone-controls" data-testid="phone-controls" data-status={call.status}>
      <p role="status" className="phone-status">
        {health === 'ready' ? t(`phone.status.${call.status}`) : t(`phone.health.${health}`)}
        {call.status === 'in_call' && (
          <span className="call-timer" role="timer" data-testid="phone-timer">
            {' '}
            {formatDuration(call.answeredAt ? Math.floor((now - call.answeredAt) / 1000) : 0)}
          </span>
        )}
      </p>
      <div className="btn-row">
        {call.status === 'incoming' && (
          <button type="button" className="btn btn-primary btn-call" onClick={phone.answer}>
            ✆ {t('phone.answer')}
          </button>
        )}
        <button type="button" className="btn btn-danger-solid" disabled={!live} onClick={phone.hangup}>
          ✕ {t('phone.hangup')}
        </button>
        <button type="button" className="btn" disabled={call.status !== 'in_call'} aria-pressed={call.muted} onClick={() => phone.mute(!call.muted)}>
          {call.muted ? `◉ ${t('phone.unmute')}` : `○ ${t('phone.mute')}`}
        </button>
      </div>
      <div className="field">
        <label htmlFor={micField}>{t('phone.microphone')}</label>
        <select id={micField} value={microphoneId ?? ''} disabled={live} onChange={(e) => void phone.selectMicrophone(e.target.value || null)}>
          <option value="">{t('phone.defaultMicrophone')}</option>
          {mics.map((m, i) => (
            <option key={m.deviceId || i} value={m.deviceId}>
              {m.label || t('phone.microphoneN', { n: i + 1 })}
            </option>
          ))}
        </select>
      </div>
      <meter className="mic-meter" min={0} max={1} value={micLevel} aria-label={t('phone.level')} />
      {inCall && (
        <p className="small muted" data-testid="phone-audio" data-bytes-sent={audio.bytesSent} data-bytes-received={audio.bytesReceived}>
          {t('phone.audio', { received: Math.round(audio.bytesReceived / 1000), sent: Math.round(audio.bytesSent / 1000) })}
        </p>
      )}
      {error && (
        <p className="alert alert-warning" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
