import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { RecordingConverter } from './converter.ts';
import { pcap, stream } from './pcap.test-helper.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'passerelle-converter-'));
const converter = new RecordingConverter();
afterAll(async () => {
  await converter.close();
  rmSync(dir, { recursive: true, force: true });
});
const file = (name: string, content: Buffer) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

it('converts both legs of a call in its thread: WAV, duration, peaks, checksum', async () => {
  const legs = [file('a.pcap', pcap(stream(1, 0, 50, 0xaa))), file('b.pcap', pcap(stream(2, 0.5, 50, 0xd5)))];
  const r = await converter.convert(legs);
  expect(r).not.toBeNull();
  expect(r!.streams).toBe(2);
  expect(r!.durationMs).toBe(1500);
  expect(r!.wav.subarray(0, 4).toString()).toBe('RIFF');
  expect(r!.wav.length).toBe(44 + 1.5 * 8000 * 2);
  expect(r!.peaks[0]).toBeCloseTo(32256 / 32768, 3);
  expect(r!.sha256).toMatch(/^[0-9a-f]{64}$/);
});

it('gives null for a capture without audio, and an error for a file that is not a pcap; the thread keeps working', async () => {
  expect(await converter.convert([file('rtcp.pcap', pcap(stream(3, 0, 2, 0x01, 72)))])).toBeNull();
  await expect(converter.convert([file('junk.pcap', Buffer.alloc(40))])).rejects.toThrow(/pcap/);
  await expect(converter.convert([path.join(dir, 'missing.pcap')])).rejects.toThrow(/ENOENT/);
  expect((await converter.convert([file('c.pcap', pcap(stream(4, 0, 5, 0xaa)))]))?.durationMs).toBe(100);
});
