/** Synthetic pcaps as rtpengine writes them, for the recording tests. */

/** A raw-IP (linktype 101) pcap with one UDP/RTP packet per entry, as rtpengine writes. */
export function pcap(packets: { time: number; ssrc: number; seq: number; ts: number; pt: number; payload: Buffer }[]): Buffer {
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

export function stream(ssrc: number, start: number, count: number, byte: number, pt = 8) {
  return Array.from({ length: count }, (_, i) => ({
    time: 1000 + start + i * 0.02,
    ssrc,
    seq: 100 + i,
    ts: 4_294_967_000 + i * 160, // wraps around during the stream
    pt,
    payload: Buffer.alloc(160, byte),
  }));
}
