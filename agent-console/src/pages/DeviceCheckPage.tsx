import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAgent } from '../agent/AgentContext.tsx';

/** A short 440 Hz beep made in the browser (no audio file to fetch), on the chosen output when supported. */
async function playTone(speakerId: string | null): Promise<void> {
  const ctx = new AudioContext();
  const sink = ctx as AudioContext & { setSinkId?: (id: string) => Promise<void> };
  if (speakerId && sink.setSinkId) await sink.setSinkId(speakerId).catch(() => undefined);
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.frequency.value = 440;
  gain.gain.setValueAtTime(0.0001, ctx.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.3, ctx.currentTime + 0.05);
  gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 1.2);
  osc.connect(gain).connect(ctx.destination);
  osc.start();
  osc.stop(ctx.currentTime + 1.25);
  await new Promise((resolve) => (osc.onended = resolve));
  await ctx.close();
}

/** Start of shift: choose the headset, see the microphone move, hear a test tone, see the line register. */
export function DeviceCheckPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { phone, device, setDevice } = useAgent();
  const [mics, setMics] = useState<MediaDeviceInfo[]>([]);
  const [speakers, setSpeakers] = useState<MediaDeviceInfo[]>([]);
  const [micSeen, setMicSeen] = useState(false);
  const [playing, setPlaying] = useState(false);
  const [heard, setHeard] = useState<boolean | null>(null);
  const level = phone.state.micLevel;
  const health = phone.state.health;

  useEffect(() => {
    const load = () =>
      navigator.mediaDevices
        ?.enumerateDevices()
        .then((all) => {
          setMics(all.filter((d) => d.kind === 'audioinput'));
          setSpeakers(all.filter((d) => d.kind === 'audiooutput'));
        })
        .catch(() => undefined);
    void load();
    navigator.mediaDevices?.addEventListener('devicechange', load);
    return () => navigator.mediaDevices?.removeEventListener('devicechange', load);
  }, [health]);
  useEffect(() => {
    if (level > 0.02) setMicSeen(true);
  }, [level]);

  const finish = () => {
    setDevice({ done: true, heard, micError: !micSeen });
    navigate('/', { replace: true });
  };

  return (
    <div className="device-check">
      <header className="page-head">
        <h1>{t('check.title')}</h1>
        <p className="muted">{t('check.intro')}</p>
      </header>
      <div className="check-grid">
        <section className="card" aria-labelledby="check-mic">
          <div className="card-header">
            <h2 id="check-mic">1. {t('check.mic')}</h2>
            {micSeen ? <span className="badge badge-success">✓ {t('check.micOk')}</span> : <span className="badge">? {t('check.micWaiting')}</span>}
          </div>
          <div className="card-body">
            <div className="field">
              <label htmlFor="mic-select">{t('check.micDevice')}</label>
              <select
                id="mic-select"
                value={device.microphoneId ?? ''}
                onChange={(e) => {
                  const id = e.target.value || null;
                  setMicSeen(false);
                  setDevice({ microphoneId: id });
                  void phone.selectMicrophone(id);
                }}
              >
                <option value="">{t('check.defaultDevice')}</option>
                {mics.map((m, i) => (
                  <option key={m.deviceId || i} value={m.deviceId}>
                    {m.label || t('check.micN', { n: i + 1 })}
                  </option>
                ))}
              </select>
            </div>
            <label className="field-label" htmlFor="mic-level">
              {t('check.level')}
            </label>
            <meter id="mic-level" className="level-meter" min={0} max={1} low={0.02} high={0.8} optimum={0.3} value={level} data-testid="mic-level" />
            <p className="field-hint">{t('check.speak')}</p>
          </div>
        </section>
        <section className="card" aria-labelledby="check-speaker">
          <div className="card-header">
            <h2 id="check-speaker">2. {t('check.speaker')}</h2>
            {heard === true && <span className="badge badge-success">✓ {t('check.heardOk')}</span>}
            {heard === false && <span className="badge badge-danger">✕ {t('check.heardNo')}</span>}
          </div>
          <div className="card-body stack">
            {speakers.length > 0 && (
              <div className="field">
                <label htmlFor="speaker-select">{t('check.speakerDevice')}</label>
                <select id="speaker-select" value={device.speakerId ?? ''} onChange={(e) => setDevice({ speakerId: e.target.value || null })}>
                  <option value="">{t('check.defaultDevice')}</option>
                  {speakers.map((s, i) => (
                    <option key={s.deviceId || i} value={s.deviceId}>
                      {s.label || t('check.speakerN', { n: i + 1 })}
                    </option>
                  ))}
                </select>
              </div>
            )}
            <button
              type="button"
              className="btn"
              disabled={playing}
              onClick={() => {
                setPlaying(true);
                void playTone(device.speakerId).finally(() => setPlaying(false));
              }}
            >
              ♪ {t(playing ? 'check.playing' : 'check.play')}
            </button>
            <fieldset className="field">
              <legend className="field-label">{t('check.heardQuestion')}</legend>
              <div className="btn-row">
                <button type="button" className="btn" aria-pressed={heard === true} onClick={() => setHeard(true)}>
                  {t('check.yes')}
                </button>
                <button type="button" className="btn" aria-pressed={heard === false} onClick={() => setHeard(false)}>
                  {t('check.no')}
                </button>
              </div>
            </fieldset>
            {heard === false && <p className="alert alert-warning">{t('check.notHeardHelp')}</p>}
          </div>
        </section>
        <section className="card" aria-labelledby="check-line">
          <div className="card-header">
            <h2 id="check-line">3. {t('check.line')}</h2>
          </div>
          <div className="card-body stack">
            <p className={`line-status line-${health}`} role="status" data-testid="sip-status">
              <span aria-hidden="true">{health === 'ready' ? '✓' : health === 'failed' ? '✕' : '…'}</span> {t(`sip.${health}`)}
            </p>
            {phone.state.error && <p className="alert alert-error">{phone.state.error}</p>}
          </div>
        </section>
      </div>
      <div className="btn-row check-actions">
        <button type="button" className="btn btn-primary" disabled={heard === null} onClick={finish}>
          {t('check.continue')}
        </button>
        {heard === null && <span className="field-hint">{t('check.continueHint')}</span>}
      </div>
    </div>
  );
}
