import type { Readable } from 'node:stream';
import { maskPhone, cleanText } from '@passerelle/shared/masking';
import { normalizePhone } from '@passerelle/shared/phone';
import { AppError } from '../../lib/errors.ts';
import { genericHeaders, looksLikeHeader, type ColumnMapping } from './mapping.ts';
import { readRows, type FileFormat } from './parsing/source.ts';
import { maskRaw } from './values.ts';

const PREVIEW_ROWS = 5;

export interface FileShape {
  hasHeader: boolean;
  /** Header names as written (or `Colonne N`). */
  headers: string[];
  /** The first data rows, raw: mask with maskPreview before showing or storing them. */
  sample: string[][];
}

/** Reads the first records only; refuses files without any data row. */
export async function readShape(source: Readable, format: FileFormat): Promise<FileShape> {
  const records: string[][] = [];
  try {
    for await (const row of readRows(source, format)) {
      if ('cells' in row) records.push(row.cells);
      if (records.length > PREVIEW_ROWS) break;
    }
  } finally {
    source.destroy();
  }
  if (records.length === 0) throw new AppError(422, 'EMPTY_FILE', 'Le fichier est vide.');
  const hasHeader = looksLikeHeader(records[0]!);
  const sample = hasHeader ? records.slice(1) : records.slice(0, PREVIEW_ROWS);
  if (sample.length === 0) throw new AppError(422, 'NO_DATA_ROWS', 'Le fichier ne contient qu’une ligne d’en-têtes, aucune donnée.');
  const columns = Math.max(...records.map((r) => r.length));
  const headers = hasHeader
    ? Array.from({ length: columns }, (_, i) => cleanText(records[0]![i], 100) ?? `Colonne ${i + 1}`)
    : genericHeaders(columns);
  return { hasHeader, headers, sample };
}

/** The preview the partner sees: numbers as `06 90 •• •• 34`, every other value partly hidden. */
export function maskPreview(sample: string[][], mapping: ColumnMapping, defaultRegion: string): string[][] {
  const phones = new Set(mapping.phones);
  return sample.map((cells) =>
    cells.map((cell, column) => {
      if (!phones.has(column)) return maskRaw(cell);
      const phone = normalizePhone(cell, defaultRegion);
      return phone.ok ? maskPhone(phone.e164) : maskRaw(cell);
    }),
  );
}
