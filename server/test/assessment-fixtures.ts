import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Answers, ScorecardGrid } from '@passerelle/shared/scoring';
import type { App } from '../src/app.ts';
import { pcap } from '../src/modules/recordings/pcap.test-helper.ts';

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
  const packets = [];
  for (let i = 0, seq = 0; i < alaw.length; i += 160, seq++) {
    packets.push({ time: t0 + seq * 0.02, ssrc: 0x1234abcd, seq: seq & 0xffff, ts: i, pt: 8, payload: alaw.subarray(i, i + 160) });
  }
  return pcap(packets);
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
