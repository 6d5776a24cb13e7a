import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SupervisionSession } from '@passerelle/shared/events';
import { useFormat } from '@kit/format.ts';
import { LiveDuration } from './LiveDuration.tsx';
import { audioOutputs, type ListenSession } from './useListen.ts';

/** The trainer's listening controls: output device, audio flow, who else is on the call, whisper, stop. */
export function ListenPanel({
  session,
  traineeName,
  others,
  sinkId,
  onSink,
  onStop,
  onWhisper,
}: {
  session: ListenSession;
  traineeName: string;
  /** The other open sessions on this call (other trainers, or this trainer in another tab). */
  others: readonly SupervisionSession[];
  sinkId: string;
  onSink: (id: string) => void;
  onStop: () => void;
  onWhisper: (on: boolean) => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [outputs, setOutputs] = useState<MediaDeviceInfo[]>([]);
  useEffect(() => {
    void audioOutputs().then(setOutputs);
  }, []);
  const canChooseOutput = typeof (HTMLMediaElement.prototype as { setSinkId?: unknown }).setSinkId === 'function';
  const whispering = session.whisperSessionId !== null;
  const otherWhisper = others.find((o) => o.kind === 'whisper');
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
          <button
            type="button"
            className={`btn btn-sm${whispering ? ' btn-primary' : ''}`}
            aria-pressed={whispering}
            disabled={!whispering && Boolean(otherWhisper)}
            title={otherWhisper && !whispering ? t('floor.listen.whisperBusy', { name: otherWhisper.supervisorName }) : t('floor.listen.whisperHint')}
            onClick={() => onWhisper(!whispering)}
          >
            {whispering ? t('floor.action.stopWhisper') : t('floor.action.whisper')}
          </button>
          <button type="button" className="btn btn-sm" disabled aria-describedby="barge-unavailable" title={t('floor.listen.bargeUnavailable')}>
            {t('floor.action.barge')}
          </button>
          <span id="barge-unavailable" className="field-hint">
            {t('floor.listen.bargeUnavailable')}
          </span>
        </div>
        {whispering && (
          <p className="badge badge-violet" role="status" data-testid="whispering">
            {t('floor.listen.whispering', { name: traineeName })}
          </p>
        )}
        <p className="field-hint" data-testid="listen-others">
          {others.length === 0 ? (
            t('floor.listen.alone')
          ) : (
            <>
              {t('floor.listen.others')}{' '}
              {others.map((o, i) => (
                <span key={o.sessionId} data-testid="listen-other" data-supervisor-id={o.supervisorUserId}>
                  {i > 0 && ', '}
                  {t(o.kind === 'whisper' ? 'floor.listen.otherWhisper' : 'floor.listen.otherListen', { name: o.supervisorName })} ({t('floor.listen.since')}{' '}
                  <LiveDuration since={o.startedAt} className="mono" />)
                </span>
              ))}
            </>
          )}
        </p>
      </div>
    </section>
  );
}
