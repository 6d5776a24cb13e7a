import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Answers, ScorecardGrid } from '@passerelle/shared/scoring';
import type { App } from '../src/app.ts';

/** A finished, answered call attempt of `agentUserId` (as the dialer leaves it). */
export async function makeAttempt(app: App, o: { campaignId: string; partnerId: string; agentUserId: string; answeredAt: Date; talkSeconds: number }): Promise<string> {
  const row = await app.db
    .insertInto('callAttempts')
    .values({
      campaignId: o.campaignId,
      partnerId: o.partnerId,
      agentUserId: o.agentUserId,
      status: 'closed',
      offeredAt: new Date(o.answeredAt.getTime() - 20_000),
      dialedAt: new Date(o.answeredAt.getTime() - 10_000),
      answeredAt: o.answeredAt,
      endedAt: new Date(o.answeredAt.getTime() + o.talkSeconds * 1000),
      closedAt: new Date(o.answeredAt.getTime() + o.talkSeconds * 1000 + 5000),
      talkSeconds: o.talkSeconds,
      outcome: 'appointment_booked',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * A classic pcap (raw IPv4 link type) of one RTP stream carrying `alaw` bytes as PCMA, 20 ms
 * per packet, the way rtpengine's pcap recording method writes a leg.
 */
export function rtpPcap(alaw: Buffer, t0 = 1_780_000_000): Buffer {
  const global = Buffer.alloc(24);
  global.writeUInt32LE(0xa1b2c3d4, 0);
  global.writeUInt16LE(2, 4);
  global.writeUInt16LE(4, 6);
  global.writeUInt32LE(65535, 16);
  global.writeUInt32LE(101, 20);
  const records: Buffer[] = [global];
  const ssrc = 0x1234abcd;
  for (let i = 0, seq = 0; i < alaw.length; i += 160, seq++) {
    const payload = alaw.subarray(i, i + 160);
    const rtp = Buffer.alloc(12);
    rtp[0] = 0x80;
    rtp[1] = 8;
    rtp.writeUInt16BE(seq & 0xffff, 2);
    rtp.writeUInt32BE(i, 4);
    rtp.writeUInt32BE(ssrc, 8);
    const udpLen = 8 + 12 + payload.length;
    const ip = Buffer.alloc(28);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + udpLen, 2);
    ip[8] = 64;
    ip[9] = 17;
    ip.set([127, 0, 0, 1], 12);
    ip.set([127, 0, 0, 1], 16);
    ip.writeUInt16BE(30000, 20);
    ip.writeUInt16BE(30002, 22);
    ip.writeUInt16BE(udpLen, 24);
    const frame = Buffer.concat([ip, rtp, payload]);
    const rec = Buffer.alloc(16);
    const t = t0 + seq * 0.02;
    rec.writeUInt32LE(Math.floor(t), 0);
    rec.writeUInt32LE(Math.round((t % 1) * 1e6), 4);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    records.push(rec, frame);
  }
  return Buffer.concat(records);
}

/** A-law audio from sox: a tone whose loudness swells and fades, so the waveform has shape. */
export function soxAlaw(seconds: number): Buffer {
  const dir = path.join(tmpdir(), `asx-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  const out = path.join(dir, 'tone.al');
  execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-t', 'raw', '-e', 'a-law', out, 'synth', String(seconds), 'sine', '440', 'tremolo', '0.25', '90']);
  const audio = readFileSync(out);
  rmSync(dir, { recursive: true, force: true });
  return audio;
}

/**
 * A real recording stored by the telephony module's own storage function: pcap in the spool →
 * mixed WAV → encrypted with the campaign key on disk → `recordings` row with peaks.
 */
export async function storeRecording(app: App, o: { attemptId: string; campaignId: string; seconds: number }): Promise<string> {
  const callId = `asm-${randomBytes(8).toString('hex')}`;
  const dir = path.join(app.config.TELEPHONY_SPOOL_DIR, 'pcaps');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${callId}-1.pcap`), rtpPcap(soxAlaw(o.seconds)));
  const id = await app.telephony.recordings.store({ callId, attemptId: o.attemptId, campaignId: o.campaignId });
  if (!id) throw new Error('recording not stored');
  return id;
}

/** Every criterion of the grid at `value`, then the overrides. */
export function answersAll(grid: ScorecardGrid, value: number, overrides: Answers = {}): Answers {
  return { ...Object.fromEntries(grid.competencies.flatMap((c) => c.criteria.map((k) => [k.id, value]))), ...overrides };
}
