import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mixG711, peaks, rms, wavFile } from './audio.ts';
import { PcapError, readRtpPackets } from './pcap.ts';
import { pcap, stream } from './pcap.test-helper.ts';

describe('pcap → wav', () => {
  it('decodes A-law per SSRC and mixes both legs on the capture timeline', () => {
    // 0xAA is the loudest positive A-law code (+32256); 0xD5 the smallest positive step (+8).
    const file = pcap([...stream(1, 0, 50, 0xaa), ...stream(2, 0.5, 50, 0xd5), ...stream(2, 0.5, 1, 0xd5)]);
    const packets = readRtpPackets(file);
    expect(packets).toHaveLength(101);
    const { samples, streams } = mixG711(packets);
    expect(streams).toBe(2);
    expect(samples.length).toBe(0.5 * 8000 + 50 * 160);
    expect(samples[0]).toBe(32256);
    expect(samples[4000]).toBe(32256 + 8); // both legs overlap here
    expect(samples[samples.length - 1]).toBe(8);
    expect(rms(samples)).toBeGreaterThan(0.01);
  });

  it('mixes a call longer than RTP sequence numbers last (over 22 minutes), whole', () => {
    const count = 80_000; // 26.7 minutes per leg at 50 packets/s: 160,000 packets
    const leg = (ssrc: number, byte: number) =>
      Array.from({ length: count }, (_, i) => ({ time: 1000 + i * 0.02, ssrc, payloadType: 8, seq: (100 + i) & 0xffff, timestamp: i * 160, payload: Buffer.alloc(160, byte) }));
    const { samples, streams } = mixG711([...leg(1, 0xaa), ...leg(2, 0xd5)]);
    expect(streams).toBe(2);
    expect(samples.length).toBe(count * 160);
    expect(samples[samples.length - 1]).toBe(32256 + 8);
    expect(samples.every((v) => v === 32256 + 8)).toBe(true);
  });

  it('decodes µ-law and skips RTCP, events and non-RTP datagrams', () => {
    const file = pcap([...stream(3, 0, 2, 0x00, 0), ...stream(4, 0, 2, 0x01, 101), ...stream(5, 0, 1, 0x01, 72)]);
    const { samples, streams } = mixG711(readRtpPackets(file));
    expect(streams).toBe(1);
    expect(samples[0]).toBe(-32124);
  });

  it('writes a playable WAV header and waveform peaks', () => {
    const wav = wavFile(Int16Array.from([0, 16384, -32768, 0]));
    expect(wav.subarray(0, 4).toString()).toBe('RIFF');
    expect(wav.readUInt32LE(24)).toBe(8000);
    expect(wav.readUInt32LE(40)).toBe(8);
    expect(peaks(Int16Array.from([0, 16384, -32768, 0]), 2)).toEqual([0.5, 1]);
  });

  it('rejects what is not a pcap', () => {
    expect(() => readRtpPackets(Buffer.alloc(40))).toThrow(PcapError);
  });

  it.runIf(existsSync('/usr/share/sip-tester/g711a.pcap'))('reads the Ethernet capture shipped with SIPp as speech', () => {
    const { samples, streams } = mixG711(readRtpPackets(readFileSync('/usr/share/sip-tester/g711a.pcap')));
    expect(streams).toBe(1);
    expect(samples.length / 8000).toBeGreaterThan(6);
    expect(rms(samples)).toBeGreaterThan(0.01);
  });
});
