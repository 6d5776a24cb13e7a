import type { RtpPacket } from './pcap.ts';

export const SAMPLE_RATE = 8000;

function alawToLinear(a: number): number {
  a ^= 0x55;
  const sign = a & 0x80;
  const exponent = (a & 0x70) >> 4;
  let mantissa = a & 0x0f;
  mantissa = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  return sign ? mantissa : -mantissa;
}

function ulawToLinear(u: number): number {
  u = ~u & 0xff;
  const sign = u & 0x80;
  const exponent = (u >> 4) & 0x07;
  const sample = ((((u & 0x0f) << 3) + 0x84) << exponent) - 0x84;
  return sign ? -sample : sample;
}

const ALAW = Int16Array.from({ length: 256 }, (_, i) => alawToLinear(i));
const ULAW = Int16Array.from({ length: 256 }, (_, i) => ulawToLinear(i));

/** G.711 payload types rtpengine records here: 8 = PCMA (A-law), 0 = PCMU (µ-law). */
const TABLES: Record<number, Int16Array> = { 8: ALAW, 0: ULAW };

export interface Mixed {
  samples: Int16Array;
  /** SSRCs decoded (one per leg and direction). */
  streams: number;
}

/**
 * Decodes each SSRC's G.711 packets and mixes them on one timeline: a stream starts at its first
 * packet's capture time, then follows its RTP timestamps (8 kHz), so jitter does not smear audio.
 */
export function mixG711(packets: RtpPacket[]): Mixed {
  const audio = packets.filter((p) => TABLES[p.payloadType]);
  if (audio.length === 0) return { samples: new Int16Array(0), streams: 0 };
  const t0 = Math.min(...audio.map((p) => p.time));
  const bySsrc = new Map<number, RtpPacket[]>();
  for (const p of audio) {
    const list = bySsrc.get(p.ssrc) ?? [];
    list.push(p);
    bySsrc.set(p.ssrc, list);
  }
  const placed: { at: number; pcm: Int16Array }[] = [];
  let length = 0;
  for (const list of bySsrc.values()) {
    const first = list.reduce((a, b) => (b.time < a.time ? b : a));
    const base = Math.round((first.time - t0) * SAMPLE_RATE);
    const seen = new Set<number>();
    for (const p of list) {
      if (seen.has(p.seq)) continue; // the same packet captured twice
      seen.add(p.seq);
      const offset = (p.timestamp - first.timestamp) >>> 0; // unsigned: survives wrap-around
      if (offset > SAMPLE_RATE * 4 * 3600) continue;
      const table = TABLES[p.payloadType]!;
      const pcm = new Int16Array(p.payload.length);
      for (let i = 0; i < pcm.length; i++) pcm[i] = table[p.payload[i]!]!;
      const at = base + offset;
      placed.push({ at, pcm });
      length = Math.max(length, at + pcm.length);
    }
  }
  const mix = new Int32Array(length);
  for (const { at, pcm } of placed) for (let i = 0; i < pcm.length; i++) mix[at + i]! += pcm[i]!;
  const samples = new Int16Array(length);
  for (let i = 0; i < length; i++) samples[i] = Math.max(-32768, Math.min(32767, mix[i]!));
  return { samples, streams: bySsrc.size };
}

/** 16-bit mono PCM WAV. */
export function wavFile(samples: Int16Array, rate = SAMPLE_RATE): Buffer {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8);
  h.write('fmt ', 12);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

/** Waveform peaks (0..1, max absolute value per bucket) for the player. */
export function peaks(samples: Int16Array, buckets = 200): number[] {
  if (samples.length === 0) return [];
  const n = Math.min(buckets, samples.length);
  const size = samples.length / n;
  const out: number[] = [];
  for (let b = 0; b < n; b++) {
    let max = 0;
    for (let i = Math.floor(b * size); i < Math.floor((b + 1) * size); i++) max = Math.max(max, Math.abs(samples[i]!));
    out.push(Math.round((max / 32768) * 1000) / 1000);
  }
  return out;
}

/** Root mean square level (0..1): tells silence from speech. */
export function rms(samples: Int16Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length) / 32768;
}
