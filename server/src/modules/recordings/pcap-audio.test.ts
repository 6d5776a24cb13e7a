import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mixG711, peaks, rms, wavFile } from './audio.ts';
import { PcapError, readRtpPackets } from './pcap.ts';

/** A raw-IP (linktype 101) pcap with one UDP/RTP packet per entry, as rtpengine writes. */
function pcap(packets: { time: number; ssrc: number; seq: number; ts: number; pt: number; payload: Buffer }[]): Buffer {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(65535, 16);
  head.writeUInt32LE(101, 20);
  const records = packets.map((p) => {
    const rtp = Buffer.alloc(12);
    rtp[0] = 0x80;
    rtp[1] = p.pt;
    rtp.writeUInt16BE(p.seq, 2);
    rtp.writeUInt32BE(p.ts >>> 0, 4);
    rtp.writeUInt32BE(p.ssrc, 8);
    const udpLen = 8 + rtp.length + p.payload.length;
    const ip = Buffer.alloc(20);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + udpLen, 2);
    ip[9] = 17;
    const udp = Buffer.alloc(8);
    udp.writeUInt16BE(udpLen, 4);
    const frame = Buffer.concat([ip, udp, rtp, p.payload]);
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(Math.floor(p.time), 0);
    rec.writeUInt32LE(Math.round((p.time % 1) * 1e6), 4);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    return Buffer.concat([rec, frame]);
  });
  return Buffer.concat([head, ...records]);
}

function stream(ssrc: number, start: number, count: number, byte: number, pt = 8) {
  return Array.from({ length: count }, (_, i) => ({
    time: 1000 + start + i * 0.02,
    ssrc,
    seq: 100 + i,
    ts: 4_294_967_000 + i * 160, // wraps around during the stream
    pt,
    payload: Buffer.alloc(160, byte),
  }));
}

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
