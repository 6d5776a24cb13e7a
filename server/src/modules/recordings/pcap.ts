/** Minimal reader of classic pcap files as rtpengine writes them (raw IP or Ethernet frames). */
export interface RtpPacket {
  /** Capture time in seconds. */
  time: number;
  ssrc: number;
  payloadType: number;
  seq: number;
  timestamp: number;
  payload: Buffer;
}

const LINKTYPE_NULL = 0;
const LINKTYPE_ETHERNET = 1;
const LINKTYPE_RAW = 101;
const LINKTYPE_LINUX_SLL = 113;
const LINKTYPE_IPV4 = 228;

export class PcapError extends Error {}

/** Every RTP packet (version 2, not RTCP) carried over UDP in the capture. */
export function readRtpPackets(file: Buffer): RtpPacket[] {
  if (file.length < 24) throw new PcapError('pcap: file too short');
  const magic = file.readUInt32LE(0);
  let le: boolean;
  let nanos = false;
  if (magic === 0xa1b2c3d4) le = true;
  else if (magic === 0xd4c3b2a1) le = false;
  else if (magic === 0xa1b23c4d) [le, nanos] = [true, true];
  else if (magic === 0x4d3cb2a1) [le, nanos] = [false, true];
  else throw new PcapError('pcap: unknown magic');
  const u32 = (o: number) => (le ? file.readUInt32LE(o) : file.readUInt32BE(o));
  const linkType = u32(20) & 0xffff;
  const packets: RtpPacket[] = [];
  let off = 24;
  while (off + 16 <= file.length) {
    const sec = u32(off);
    const frac = u32(off + 4);
    const capLen = u32(off + 8);
    const start = off + 16;
    off = start + capLen;
    if (off > file.length) break; // truncated last record (file still being written)
    const ip = ipStart(file, start, capLen, linkType, le);
    if (ip < 0) continue;
    const udp = udpPayload(file, ip, start + capLen);
    if (!udp) continue;
    const rtp = parseRtp(udp);
    if (rtp) packets.push({ time: sec + frac / (nanos ? 1e9 : 1e6), ...rtp });
  }
  return packets;
}

function ipStart(file: Buffer, start: number, len: number, linkType: number, le: boolean): number {
  switch (linkType) {
    case LINKTYPE_RAW:
    case LINKTYPE_IPV4:
      return start;
    case LINKTYPE_ETHERNET: {
      if (len < 14) return -1;
      const etherType = file.readUInt16BE(start + 12);
      return etherType === 0x0800 || etherType === 0x86dd ? start + 14 : -1;
    }
    case LINKTYPE_LINUX_SLL:
      return len >= 16 ? start + 16 : -1;
    case LINKTYPE_NULL: {
      if (len < 4) return -1;
      const family = le ? file.readUInt32LE(start) : file.readUInt32BE(start);
      return family === 2 || family === 24 || family === 28 || family === 30 ? start + 4 : -1;
    }
    default:
      throw new PcapError(`pcap: unsupported link type ${linkType}`);
  }
}

function udpPayload(file: Buffer, ip: number, end: number): Buffer | null {
  if (ip >= end) return null;
  const version = file[ip]! >> 4;
  let udp: number;
  if (version === 4) {
    const ihl = (file[ip]! & 0x0f) * 4;
    if (file[ip + 9] !== 17) return null;
    udp = ip + ihl;
  } else if (version === 6) {
    if (file[ip + 6] !== 17) return null; // no extension headers in rtpengine's output
    udp = ip + 40;
  } else return null;
  if (udp + 8 > end) return null;
  const udpLen = file.readUInt16BE(udp + 4);
  return file.subarray(udp + 8, Math.min(end, udp + Math.max(udpLen, 8)));
}

function parseRtp(buf: Buffer): Omit<RtpPacket, 'time'> | null {
  if (buf.length < 12 || buf[0]! >> 6 !== 2) return null;
  const payloadType = buf[1]! & 0x7f;
  if (payloadType >= 72 && payloadType <= 76) return null; // RTCP (rtcp-mux)
  const csrc = buf[0]! & 0x0f;
  let headerLen = 12 + csrc * 4;
  if (buf[0]! & 0x10) {
    if (buf.length < headerLen + 4) return null;
    headerLen += 4 + buf.readUInt16BE(headerLen + 2) * 4;
  }
  let end = buf.length;
  if (buf[0]! & 0x20) end -= buf[buf.length - 1]!; // padding
  if (headerLen > end) return null;
  return {
    payloadType,
    seq: buf.readUInt16BE(2),
    timestamp: buf.readUInt32BE(4),
    ssrc: buf.readUInt32BE(8),
    payload: buf.subarray(headerLen, end),
  };
}
