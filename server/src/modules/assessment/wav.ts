/** Cuts [startMs, endMs) out of a PCM WAV file, keeping its format (chunks other than fmt/data dropped). */
export function sliceWav(wav: Buffer, startMs: number, endMs: number): Buffer {
  if (wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a WAV file');
  let fmt: Buffer | null = null;
  let data: Buffer | null = null;
  for (let off = 12; off + 8 <= wav.length; ) {
    const id = wav.toString('ascii', off, off + 4);
    const size = wav.readUInt32LE(off + 4);
    const body = wav.subarray(off + 8, Math.min(off + 8 + size, wav.length));
    if (id === 'fmt ') fmt = body;
    if (id === 'data') data = body;
    off += 8 + size + (size % 2);
  }
  if (!fmt || !data) throw new Error('WAV without fmt or data chunk');
  const byteRate = fmt.readUInt32LE(8);
  const blockAlign = fmt.readUInt16LE(12);
  const at = (ms: number) => Math.min(data.length, Math.floor((ms * byteRate) / 1000 / blockAlign) * blockAlign);
  const pcm = data.subarray(at(startMs), at(endMs));
  const header = Buffer.alloc(12 + 8 + fmt.length + 8);
  header.write('RIFF', 0);
  header.writeUInt32LE(header.length - 8 + pcm.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(fmt.length, 16);
  fmt.copy(header, 20);
  header.write('data', 20 + fmt.length);
  header.writeUInt32LE(pcm.length, 24 + fmt.length);
  return Buffer.concat([header, pcm]);
}

/** The part of a waveform's peaks that covers [startMs, endMs) of a recording of durationMs. */
export function slicePeaks(peaks: number[], durationMs: number, startMs: number, endMs: number): number[] {
  if (durationMs <= 0 || peaks.length === 0) return [];
  const from = Math.floor((startMs / durationMs) * peaks.length);
  const to = Math.ceil((Math.min(endMs, durationMs) / durationMs) * peaks.length);
  return peaks.slice(from, Math.max(from + 1, to));
}
