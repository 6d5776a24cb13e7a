import type { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { LIMITS } from './limits.ts';
import { detectEncoding, type TextEncoding } from './encoding.ts';
import { detectDelimiter, type Delimiter } from './delimiter.ts';
import { csvRows } from './csv.ts';
import { xlsxRows } from './xlsx.ts';
import type { RawRow } from './rows.ts';

export type FileKind = 'csv' | 'xlsx';
export type FileFormat = { kind: 'csv'; encoding: TextEncoding; delimiter: Delimiter } | { kind: 'xlsx' };

/** The first `max` bytes of a stream (the stream is destroyed afterwards). */
export async function head(source: Readable, max: number): Promise<{ bytes: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of source as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= max) {
      truncated = true;
      break;
    }
  }
  source.destroy();
  return { bytes: Buffer.concat(chunks).subarray(0, max), truncated };
}

/** Encoding and separator of a CSV/TXT file from its first bytes; throws BINARY_FILE on junk. */
export async function sniffCsv(source: Readable): Promise<FileFormat> {
  const { bytes, truncated } = await head(source, LIMITS.sniffBytes);
  const { encoding } = detectEncoding(bytes, truncated);
  const text = iconv.decode(bytes, encoding);
  return { kind: 'csv', encoding, delimiter: detectDelimiter(text) };
}

export function readRows(source: Readable, format: FileFormat): AsyncGenerator<RawRow> {
  return format.kind === 'xlsx' ? xlsxRows(source) : csvRows(source, format.encoding, format.delimiter);
}
