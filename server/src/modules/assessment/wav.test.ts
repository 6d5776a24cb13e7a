import { describe, expect, it } from 'vitest';
import { wavFile } from '../recordings/audio.ts';
import { slicePeaks, sliceWav } from './wav.ts';

describe('sliceWav', () => {
  it('cuts the samples of [start, end) and writes a valid header', () => {
    const samples = Int16Array.from({ length: 8000 * 3 }, (_, i) => i % 30000);
    const cut = sliceWav(wavFile(samples), 1000, 1500);
    expect(cut.toString('ascii', 0, 4)).toBe('RIFF');
    expect(cut.readUInt32LE(4)).toBe(cut.length - 8);
    expect(cut.readUInt32LE(40)).toBe(4000 * 2);
    expect(cut.readInt16LE(44)).toBe(8000);
    expect(cut.readInt16LE(cut.length - 2)).toBe(11999);
  });

  it('clamps to the end of the audio and refuses non-WAV input', () => {
    const cut = sliceWav(wavFile(new Int16Array(800)), 50, 5000);
    expect(cut.readUInt32LE(40)).toBe(400 * 2);
    expect(() => sliceWav(Buffer.from('not a wav at all, sorry'), 0, 1)).toThrow();
  });
});

describe('slicePeaks', () => {
  it('keeps the buckets covering the excerpt', () => {
    const p = Array.from({ length: 10 }, (_, i) => i / 10);
    expect(slicePeaks(p, 10_000, 2000, 5000)).toEqual([0.2, 0.3, 0.4]);
    expect(slicePeaks(p, 10_000, 9500, 20_000)).toEqual([0.9]);
    expect(slicePeaks([], 1000, 0, 10)).toEqual([]);
  });
});
