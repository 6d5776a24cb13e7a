import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { normalizePhone, type PhoneRejectReason } from '@passerelle/shared/phone';

export interface NumberFileLine {
  line: number;
  result: { ok: true; e164: string } | { ok: false; reason: PhoneRejectReason };
}

/**
 * Reads a list of numbers (CSV/TXT, `;` `,` or tab separated, number in the first column,
 * optional header) and normalizes each one. Streams: the file is never held in memory.
 */
export async function* readNumberFile(stream: Readable, region: string): AsyncGenerator<NumberFileLine> {
  const parser = stream.pipe(
    parse({
      bom: true,
      delimiter: [';', ',', '\t'],
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
      max_record_size: 64 * 1024,
      info: true,
    }),
  );
  let first = true;
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    const cell = record[0] ?? '';
    const isHeader = first && !/\d/.test(cell);
    first = false;
    if (isHeader || cell === '') continue;
    const result = normalizePhone(cell, region);
    yield { line: info.lines, result: result.ok ? { ok: true, e164: result.e164 } : result };
  }
}
