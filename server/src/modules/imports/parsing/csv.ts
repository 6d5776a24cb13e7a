import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { AppError } from '../../../lib/errors.ts';
import { LIMITS } from './limits.ts';
import type { Delimiter } from './delimiter.ts';
import type { TextEncoding } from './encoding.ts';
import type { RawRow } from './rows.ts';

/** Checks a parsed record against the limits: the row is rejected alone, the file goes on. */
export function limitCells(rowNo: number, cells: string[]): RawRow {
  if (cells.length > LIMITS.maxColumns) return { rowNo, problem: 'too_many_columns' };
  for (const cell of cells) if (cell.length > LIMITS.maxCellChars) return { rowNo, problem: 'cell_too_long' };
  return { rowNo, cells };
}

/**
 * Streams the records of a CSV/TXT file, decoded from `encoding` (BOM stripped). Row numbers are
 * record numbers as Excel shows them (header = 1), quoted newlines staying inside their record.
 * A record beyond LIMITS.maxRecordChars stops the file with ROW_TOO_LARGE: csv-parse cannot resync.
 */
export async function* csvRows(source: Readable, encoding: TextEncoding, delimiter: Delimiter): AsyncGenerator<RawRow> {
  const parser = source.pipe(iconv.decodeStream(encoding, { stripBOM: true })).pipe(
    parse({
      delimiter,
      // CRLF, LF, or both in one file (exports concatenated by hand).
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: LIMITS.maxRecordChars,
      info: true,
    }),
  );
  source.on('error', (err) => parser.destroy(err));
  const skipped: number[] = [];
  let tooLarge = false;
  parser.on('skip', (err: { code?: string; records?: number }) => {
    // csv-parse stops after an oversized record instead of resyncing: the file is refused below.
    if (err.code === 'CSV_MAX_RECORD_SIZE') tooLarge = true;
    else skipped.push((err.records ?? 0) + 1);
  });
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { records: number } }>) {
    while (skipped.length) yield { rowNo: skipped.shift()!, problem: 'malformed_row' };
    yield limitCells(info.records, record);
  }
  if (tooLarge) {
    throw new AppError(422, 'ROW_TOO_LARGE', `Une ligne du fichier dépasse ${LIMITS.maxRecordChars} caractères : fichier refusé.`);
  }
  while (skipped.length) yield { rowNo: skipped.shift()!, problem: 'malformed_row' };
}
