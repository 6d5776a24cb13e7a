import type { Readable } from 'node:stream';
import { Parser, type CsvError } from 'csv-parse';
import iconv from 'iconv-lite';
import { AppError } from '../../../lib/errors.ts';
import { LIMITS } from './limits.ts';
import type { Delimiter } from './delimiter.ts';
import type { TextEncoding } from './encoding.ts';
import type { BatchBounds, RawRow } from './rows.ts';

/** Checks a parsed record against the limits: the row is rejected alone, the file goes on. */
export function limitCells(rowNo: number, cells: string[]): RawRow {
  if (cells.length > LIMITS.maxColumns) return { rowNo, problem: 'too_many_columns' };
  for (const cell of cells) if (cell.length > LIMITS.maxCellChars) return { rowNo, problem: 'cell_too_long' };
  return { rowNo, cells };
}

/** csv-parse's incremental parser, under its stream wrapper (stable since csv-parse 5). */
interface ParserApi {
  parse(buf: Buffer | undefined, end: boolean, push: (record: string[]) => void, close: () => void): Error | undefined;
}

const rowTooLarge = () =>
  new AppError(422, 'ROW_TOO_LARGE', `Une ligne du fichier dépasse ${LIMITS.maxRecordChars} caractères : fichier refusé.`);

/**
 * Streams the records of a CSV/TXT file, decoded from `encoding` (BOM stripped), in batches of
 * about `bounds` (a batch ends after the chunk that reaches a bound). Row numbers are record numbers
 * as Excel shows them (header = 1), quoted newlines staying inside their record. A record beyond
 * LIMITS.maxRecordChars stops the file with ROW_TOO_LARGE: csv-parse cannot resync.
 * The parser is driven directly, not as a stream: a million records through an object stream and
 * an async iterator cost more than the parsing itself.
 */
export async function* csvBatches(source: Readable, encoding: TextEncoding, delimiter: Delimiter, bounds: BatchBounds): AsyncGenerator<RawRow[]> {
  const decoder = iconv.getDecoder(encoding, { stripBOM: true });
  const parser = new Parser({
    delimiter,
    // CRLF, LF, or both in one file (exports concatenated by hand).
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: LIMITS.maxRecordChars,
  });
  const api = (parser as unknown as { api: ParserApi }).api;
  let batch: RawRow[] = [];
  let chars = 0;
  let records = 0;
  let tooLarge = false;
  // Emitted synchronously from inside parse(), in file order with the records.
  parser.on('skip', (err: CsvError & { records?: number }) => {
    // csv-parse stops after an oversized record instead of resyncing: the file is refused.
    if (err.code === 'CSV_MAX_RECORD_SIZE') tooLarge = true;
    else batch.push({ rowNo: (err.records ?? 0) + 1, problem: 'malformed_row' });
  });
  // Every record pushed counts (skipped ones do not): the count is csv-parse's info.records.
  const push = (record: string[]) => {
    const row = limitCells(++records, record);
    batch.push(row);
    if ('cells' in row) for (const cell of row.cells) chars += cell.length;
  };
  const feed = (text: string | undefined, end: boolean) => {
    const err = api.parse(text ? Buffer.from(text, 'utf8') : undefined, end, push, () => undefined);
    if (err) throw err;
    if (tooLarge) throw rowTooLarge();
  };
  for await (const chunk of source as AsyncIterable<Buffer | string>) {
    feed(decoder.write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk), false);
    if (batch.length >= bounds.rows || chars >= bounds.chars) {
      yield batch;
      batch = [];
      chars = 0;
    }
  }
  feed(decoder.end() || undefined, true);
  if (batch.length) yield batch;
}
