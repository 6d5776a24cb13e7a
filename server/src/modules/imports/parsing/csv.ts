import type { Readable } from 'node:stream';
import { Parser, type CsvError } from 'csv-parse';
import iconv from 'iconv-lite';
import { AppError } from '../../../lib/errors.ts';
import { LIMITS } from './limits.ts';
import { SEP_LINE, type Delimiter } from './delimiter.ts';
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

const rowTooLarge = (rowNo: number) =>
  new AppError(
    422,
    'ROW_TOO_LARGE',
    `La ligne ${rowNo} dépasse ${LIMITS.maxRecordChars.toLocaleString('fr-FR')} caractères (souvent un guillemet ouvert et jamais refermé) : fichier refusé, rien n’a été importé.`,
    { row: rowNo },
  );
const quoteNotClosed = (rowNo: number) =>
  new AppError(
    422,
    'UNCLOSED_QUOTE',
    `Un guillemet ouvert à la ligne ${rowNo} n’est jamais refermé : tout le reste du fichier serait lu comme une seule cellule. Fichier refusé, rien n’a été importé ; corrigez cette ligne et renvoyez le fichier.`,
    { row: rowNo },
  );

/**
 * Streams the records of a CSV/TXT file, decoded from `encoding` (BOM stripped), in batches of
 * about `bounds` (a batch ends after the chunk that reaches a bound). Row numbers are the rows
 * Excel shows (header = 1): quoted newlines stay inside their record, blank lines and rows of
 * separators only are counted but not returned. A record beyond LIMITS.maxRecordChars, or a quote
 * still open at the end of the file, stops the file (ROW_TOO_LARGE, UNCLOSED_QUOTE): csv-parse
 * cannot resync, and going on would silently swallow every row after it.
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
    skip_records_with_error: true,
    max_record_size: LIMITS.maxRecordChars,
  });
  const api = (parser as unknown as { api: ParserApi }).api;
  let batch: RawRow[] = [];
  let chars = 0;
  // Excel's row number of the last record seen, blank and malformed ones included.
  let records = 0;
  let fatal: AppError | undefined;
  // Emitted synchronously from inside parse(), in file order with the records.
  parser.on('skip', (err: CsvError) => {
    const rowNo = ++records;
    if (err.code === 'CSV_MAX_RECORD_SIZE') fatal ??= rowTooLarge(rowNo);
    else if (err.code === 'CSV_QUOTE_NOT_CLOSED') fatal ??= quoteNotClosed(rowNo);
    else batch.push({ rowNo, problem: 'malformed_row' });
  });
  let firstRecord = true;
  const push = (record: string[]) => {
    const isFirst = firstRecord;
    firstRecord = false;
    // Excel hides a "sep=;" first line and numbers the next one 1: so do we.
    if (isFirst && SEP_LINE.test(record.join(delimiter))) return;
    const rowNo = ++records;
    // A blank line, or a row Excel left as separators only (";;;;"), holds no contact.
    if (record.every((cell) => cell.trim() === '')) return;
    const row = limitCells(rowNo, record);
    batch.push(row);
    if ('cells' in row) for (const cell of row.cells) chars += cell.length;
  };
  const feed = (text: string | undefined, end: boolean) => {
    const err = api.parse(text ? Buffer.from(text, 'utf8') : undefined, end, push, () => undefined);
    if (fatal) throw fatal;
    if (err) throw err;
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
