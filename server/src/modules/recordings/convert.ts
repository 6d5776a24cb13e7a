import { createHash } from 'node:crypto';
import { mixG711, peaks, SAMPLE_RATE, wavFile } from './audio.ts';
import { readRtpPackets } from './pcap.ts';

/** A call's recording as stored: WAV, with what the player and the integrity check need. */
export interface ConvertedRecording {
  wav: Buffer;
  durationMs: number;
  peaks: number[];
  sha256: string;
  /** SSRCs decoded (one per leg and direction). */
  streams: number;
}

/** rtpengine's pcaps of one call (both legs) → one mixed WAV; null when they hold no audio. */
export function convertPcaps(files: Buffer[]): ConvertedRecording | null {
  const { samples, streams } = mixG711(files.flatMap((f) => readRtpPackets(f)));
  if (samples.length === 0) return null;
  const wav = wavFile(samples);
  return {
    wav,
    durationMs: Math.round((samples.length / SAMPLE_RATE) * 1000),
    peaks: peaks(samples),
    sha256: createHash('sha256').update(wav).digest('hex'),
    streams,
  };
}
