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

/** A packet further than this from its stream's first one is noise (a stray SSRC reuse), not audio. */
const MAX_OFFSET = SAMPLE_RATE * 4 * 3600;

/**
 * Decodes each SSRC's G.711 packets and mixes them on one timeline: a stream starts at its first
 * packet's capture time, then follows its RTP timestamps (8 kHz), so jitter does not smear audio.
 * Decoded straight into the mix, in time linear in the packets: a call of minutes is 10^5 packets.
 */
export function mixG711(packets: RtpPacket[]): Mixed {
  let t0 = Infinity;
  const bySsrc = new Map<number, RtpPacket[]>();
  for (const p of packets) {
    if (!TABLES[p.payloadType]) continue;
    if (p.time < t0) t0 = p.time;
    let list = bySsrc.get(p.ssrc);
    if (!list) bySsrc.set(p.ssrc, (list = []));
    list.push(p);
  }
  if (bySsrc.size === 0) return { samples: new Int16Array(0), streams: 0 };
  const streams = [...bySsrc.values()].map((list) => {
    let first = list[0]!;
    for (const p of list) if (p.time < first.time) first = p;
    return { list, first, base: Math.round((first.time - t0) * SAMPLE_RATE) };
  });
  const offsetOf = (p: RtpPacket, first: RtpPacket) => (p.timestamp - first.timestamp) >>> 0; // unsigned: survives wrap-around
  let length = 0;
  for (const { list, first, base } of streams) {
    for (const p of list) {
      const offset = offsetOf(p, first);
      if (offset <= MAX_OFFSET) length = Math.max(length, base + offset + p.payload.length);
    }
  }
  const mix = new Int32Array(length);
  for (const { list, first, base } of streams) {
    // The same packet captured twice has the same RTP timestamp (sequence numbers wrap every 22 minutes).
    const seen = new Set<number>();
    for (const p of list) {
      const offset = offsetOf(p, first);
      if (offset > MAX_OFFSET || seen.has(offset)) continue;
      seen.add(offset);
      const table = TABLES[p.payloadType]!;
      const at = base + offset;
      const payload = p.payload;
      for (let i = 0; i < payload.length; i++) mix[at + i]! += table[payload[i]!]!;
    }
  }
  const samples = new Int16Array(length);
  for (let i = 0; i < length; i++) {
    const v = mix[i]!;
    samples[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
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
