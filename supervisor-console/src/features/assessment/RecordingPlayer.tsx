import { useCallback, useEffect, useImperativeHandle, useRef, useState, type KeyboardEvent, type MouseEvent, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { clock } from './api.ts';

export interface PlayerHandle {
  seek: (ms: number) => void;
  currentMs: () => number;
}

const SPEEDS = [0.75, 1, 1.25, 1.5, 2];

interface Props {
  src: string;
  /** Precomputed waveform (0..1 per bucket), drawn on a canvas: no audio decoding in the browser. */
  peaks: number[];
  durationMs: number;
  /** Positions (ms) of the timestamped comments, marked on the waveform. */
  markers: number[];
  ref?: Ref<PlayerHandle>;
}

function cssVar(el: Element, name: string, fallback: string) {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

/** Recording player: waveform from peaks, play/pause, speed, click or arrow keys to move. */
export function RecordingPlayer({ src, peaks, durationMs, markers, ref }: Props) {
  const { t } = useTranslation();
  const audio = useRef<HTMLAudioElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [positionMs, setPositionMs] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [ready, setReady] = useState(false);
  const [speed, setSpeed] = useState(1);

  const seek = useCallback(
    (ms: number) => {
      const a = audio.current;
      const clamped = Math.max(0, Math.min(ms, durationMs));
      if (a) a.currentTime = clamped / 1000;
      setPositionMs(clamped);
    },
    [durationMs],
  );
  useImperativeHandle(ref, () => ({ seek, currentMs: () => Math.round((audio.current?.currentTime ?? 0) * 1000) }), [seek]);

  // Draw: played part in the primary colour, the rest muted, comment markers as ticks.
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const ratio = globalThis.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(c.clientWidth * ratio));
    const height = Math.max(1, Math.round(c.clientHeight * ratio));
    c.width = width;
    c.height = height;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, width, height);
    const played = durationMs > 0 ? positionMs / durationMs : 0;
    const primary = cssVar(c, '--c-primary', '#1d5c96');
    const muted = cssVar(c, '--c-border-strong', '#aeb9c4');
    const bar = width / Math.max(1, peaks.length);
    peaks.forEach((p, i) => {
      const h = Math.max(1, p * (height - 8));
      ctx.fillStyle = (i + 0.5) / peaks.length <= played ? primary : muted;
      ctx.fillRect(i * bar + bar * 0.15, (height - h) / 2, Math.max(1, bar * 0.7), h);
    });
    ctx.fillStyle = cssVar(c, '--c-warning-line', '#e0a526');
    for (const m of markers) ctx.fillRect(Math.round((m / Math.max(1, durationMs)) * width) - 1, 0, 2 * ratio, 8 * ratio);
    ctx.fillStyle = cssVar(c, '--c-danger', '#b02a20');
    ctx.fillRect(Math.round(played * width) - 1, 0, 2, height);
  }, [peaks, positionMs, durationMs, markers]);

  // Follow playback smoothly while playing.
  useEffect(() => {
    if (!playing) return;
    let frame = 0;
    const tick = () => {
      setPositionMs(Math.round((audio.current?.currentTime ?? 0) * 1000));
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [playing]);

  useEffect(() => {
    if (audio.current) audio.current.playbackRate = speed;
  }, [speed]);

  const onClick = (e: MouseEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    seek(((e.clientX - rect.left) / rect.width) * durationMs);
  };
  const onKey = (e: KeyboardEvent<HTMLCanvasElement>) => {
    if (e.key === 'ArrowRight') seek(positionMs + 5000);
    else if (e.key === 'ArrowLeft') seek(positionMs - 5000);
    else if (e.key === ' ') void toggle();
    else return;
    e.preventDefault();
  };
  async function toggle() {
    const a = audio.current;
    if (!a) return;
    if (a.paused) await a.play();
    else a.pause();
  }

  return (
    <div className="rec-player" data-ready={ready ? 'true' : 'false'}>
      <audio
        ref={audio}
        src={src}
        preload="auto"
        onLoadedMetadata={() => setReady(true)}
        onPlay={() => setPlaying(true)}
        onPause={() => setPlaying(false)}
        onEnded={() => setPlaying(false)}
        onTimeUpdate={(e) => setPositionMs(Math.round(e.currentTarget.currentTime * 1000))}
        onSeeked={(e) => setPositionMs(Math.round(e.currentTarget.currentTime * 1000))}
      />
      <canvas
        ref={canvas}
        className="rec-wave"
        data-peaks={peaks.length}
        role="slider"
        tabIndex={0}
        aria-label={t('assessment.player.position')}
        aria-valuemin={0}
        aria-valuemax={Math.round(durationMs / 1000)}
        aria-valuenow={Math.round(positionMs / 1000)}
        aria-valuetext={`${clock(positionMs)} / ${clock(durationMs)}`}
        onClick={onClick}
        onKeyDown={onKey}
      />
      <div className="rec-controls">
        <button type="button" className="btn btn-sm btn-primary" onClick={() => void toggle()} disabled={!ready}>
          {playing ? t('assessment.player.pause') : t('assessment.player.play')}
        </button>
        <button type="button" className="btn btn-sm" onClick={() => seek(positionMs - 5000)}>
          {t('assessment.player.back5')}
        </button>
        <button type="button" className="btn btn-sm" onClick={() => seek(positionMs + 5000)}>
          {t('assessment.player.forward5')}
        </button>
        <span className="rec-time" data-testid="player-time">
          {clock(positionMs)} / {clock(durationMs)}
        </span>
        <label className="rec-speed">
          {t('assessment.player.speed')}
          <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                ×{String(s).replace('.', ',')}
              </option>
            ))}
          </select>
        </label>
      </div>
    </div>
  );
}
