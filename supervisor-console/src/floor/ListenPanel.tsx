import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '@kit/format.ts';
import { audioOutputs, type ListenSession } from './useListen.ts';

/** The trainer's listening controls: output device, audio flow, whisper/barge availability, stop. */
export function ListenPanel({
  session,
  traineeName,
  sinkId,
  onSink,
  onStop,
}: {
  session: ListenSession;
  traineeName: string;
  sinkId: string;
  onSink: (id: string) => void;
  onStop: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [outputs, setOutputs] = useState<MediaDeviceInfo[]>([]);
  useEffect(() => {
    void audioOutputs().then(setOutputs);
  }, []);
  const canChooseOutput = typeof (HTMLMediaElement.prototype as { setSinkId?: unknown }).setSinkId === 'function';
  return (
    <section className="card listen-panel" aria-labelledby="listen-title" data-testid="listen-panel">
      <div className="card-header">
        <h2 id="listen-title" className="h3">
          {t('floor.listen.title', { name: traineeName })}
        </h2>
        <button type="button" className="btn btn-sm" onClick={onStop}>
          {t('floor.action.stopListen')}
        </button>
      </div>
      <div className="card-body listen-grid">
        <div className="field">
          <label htmlFor="listen-output">{t('floor.listen.output')}</label>
          <select id="listen-output" value={sinkId} disabled={!canChooseOutput} onChange={(e) => onSink(e.target.value)}>
            <option value="">{t('floor.listen.defaultOutput')}</option>
            {outputs
              .filter((d) => d.deviceId && d.deviceId !== 'default')
              .map((d, i) => (
                <option key={d.deviceId} value={d.deviceId}>
                  {d.label || t('floor.listen.outputN', { n: i + 1 })}
                </option>
              ))}
          </select>
          {!canChooseOutput && <span className="field-hint">{t('floor.listen.noSinkId')}</span>}
        </div>
        <dl className="listen-bytes">
          {(['agent', 'customer'] as const).map((p) => (
            <div key={p}>
              <dt>{t(`floor.listen.leg.${p}`)}</dt>
              <dd className="mono" data-testid={`listen-bytes-${p}`} data-bytes={session.bytes[p] ?? 0}>
                {t('floor.listen.bytes', { n: fmt.number(session.bytes[p] ?? 0) })}
              </dd>
            </div>
          ))}
        </dl>
        <div className="btn-row">
          <button type="button" className="btn btn-sm" disabled aria-describedby="listen-unavailable">
            {t('floor.action.whisper')}
          </button>
          <button type="button" className="btn btn-sm" disabled aria-describedby="listen-unavailable">
            {t('floor.action.barge')}
          </button>
          <span id="listen-unavailable" className="field-hint">
            {t('floor.listen.unavailable')}
          </span>
        </div>
        <p className="field-hint">{t('floor.listen.others')}</p>
      </div>
    </section>
  );
}
