import type { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { LIMITS } from './limits.ts';
import { detectEncoding, type TextEncoding } from './encoding.ts';
import { detectDelimiter, type Delimiter } from './delimiter.ts';
import { csvBatches } from './csv.ts';
import { xlsxRows } from './xlsx.ts';
import type { BatchBounds, RawRow } from './rows.ts';

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

/**
 * Encoding and separator of a CSV/TXT file from its first bytes and whether the whole file is
 * valid UTF-8 (checked during the upload); throws BINARY_FILE on junk.
 */
export async function sniffCsv(source: Readable, wholeFileUtf8 = true): Promise<FileFormat> {
  const { bytes, truncated } = await head(source, LIMITS.sniffBytes);
  const { encoding } = detectEncoding(bytes, truncated, wholeFileUtf8);
  const text = iconv.decode(bytes, encoding);
  return { kind: 'csv', encoding, delimiter: detectDelimiter(text) };
}

/** The file's records in batches of about `bounds` (see csvBatches). */
export function readBatches(source: Readable, format: FileFormat, bounds: BatchBounds): AsyncGenerator<RawRow[]> {
  return format.kind === 'xlsx' ? batched(xlsxRows(source), bounds) : csvBatches(source, format.encoding, format.delimiter, bounds);
}

/** The file's records one by one, read no further than the chunk that holds them (previews). */
export async function* readRows(source: Readable, format: FileFormat): AsyncGenerator<RawRow> {
  for await (const batch of readBatches(source, format, { rows: 1, chars: 1 })) yield* batch;
}

async function* batched(rows: AsyncIterable<RawRow>, bounds: BatchBounds): AsyncGenerator<RawRow[]> {
  let batch: RawRow[] = [];
  let chars = 0;
  for await (const row of rows) {
    batch.push(row);
    if ('cells' in row) for (const cell of row.cells) chars += cell.length;
    if (batch.length >= bounds.rows || chars >= bounds.chars) {
      yield batch;
      batch = [];
      chars = 0;
    }
  }
  if (batch.length) yield batch;
}
