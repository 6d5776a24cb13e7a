import { describe, expect, it } from 'vitest';
import { BinaryRows, COPY_BINARY_HEADER, COPY_BINARY_TRAILER } from './copy-binary.ts';
import { readTuples } from './copy-tuples.test-helper.ts';

describe('BinaryRows', () => {
  it('writes PostgreSQL binary COPY fields: int4, text (UTF-8), NULL, bytea, timestamptz, jsonb', () => {
    const out = new BinaryRows(8); // grows as needed
    out.row(6);
    out.int4(42);
    out.text('Hélène\t\\ 😀');
    out.text(null);
    out.bytea(Buffer.from([0, 1, 255]));
    out.timestamptz(new Date('2000-01-01T00:00:01.5Z'));
    out.jsonb('{"a":"é"}');
    const [row] = readTuples(out.bytes());
    expect(row![0]!.readInt32BE(0)).toBe(42);
    expect(row![1]!.toString('utf8')).toBe('Hélène\t\\ 😀');
    expect(row![2]).toBeNull();
    expect([...row![3]!]).toEqual([0, 1, 255]);
    expect(row![4]!.readBigInt64BE(0)).toBe(1_500_000n); // µs since 2000-01-01
    expect(row![5]![0]).toBe(1); // jsonb version
    expect(row![5]!.subarray(1).toString('utf8')).toBe('{"a":"é"}');
  });

  it('owns its ArrayBuffer (transferable to another thread) and frames the stream', () => {
    const out = new BinaryRows(4);
    out.row(1);
    out.text('x'.repeat(100));
    expect(out.bytes().buffer.byteLength).toBe(out.buffer.length);
    expect(COPY_BINARY_HEADER.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
    expect(COPY_BINARY_HEADER.length).toBe(19);
    expect(COPY_BINARY_TRAILER.readInt16BE(0)).toBe(-1);
  });
});
