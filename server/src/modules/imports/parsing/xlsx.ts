// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- unzipper has no types; bench/ compiles this file too
/// <reference path="./unzipper.d.ts" />
import { Transform, type Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import unzipper from 'unzipper';
import { AppError } from '../../../lib/errors.ts';
import { LIMITS } from './limits.ts';
import { limitCells } from './csv.ts';
import type { RawRow } from './rows.ts';

const zipBomb = (why: string) =>
  new AppError(422, 'XLSX_TOO_LARGE', `Classeur refusé : ${why}. Exportez la feuille en CSV ou découpez le fichier.`);
export const invalidXlsx = () =>
  new AppError(422, 'INVALID_XLSX', 'Le fichier .xlsx n’est pas un classeur Excel lisible.');

/**
 * Inflates the whole archive once, counting the bytes that really come out (declared sizes can
 * lie), and refuses zip bombs: too many entries, too many inflated bytes, or an inflation ratio
 * no spreadsheet reaches. Nothing is kept: each entry is drained as it is measured.
 */
export async function scanXlsx(source: Readable): Promise<void> {
  let compressed = 0;
  let inflated = 0;
  let entries = 0;
  let workbook = false;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      compressed += chunk.length;
      done(null, chunk);
    },
  });
  const unzip = unzipper.Parse();
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      source.destroy();
      counter.destroy();
      unzip.destroy();
      reject(err);
    };
    unzip.on('entry', (entry) => {
      if (++entries > LIMITS.xlsxMaxEntries) return fail(zipBomb(`plus de ${LIMITS.xlsxMaxEntries} éléments dans l’archive`));
      if (entry.path === 'xl/workbook.xml') workbook = true;
      entry.on('data', (chunk: Buffer) => {
        inflated += chunk.length;
        if (inflated > LIMITS.xlsxMaxUncompressedBytes) fail(zipBomb('contenu décompressé trop volumineux'));
        else if (inflated > LIMITS.xlsxRatioFloorBytes && inflated > compressed * LIMITS.xlsxMaxRatio) {
          fail(zipBomb('taux de compression anormal (bombe de décompression)'));
        }
      });
      entry.on('error', (err: Error) => fail(err));
    });
    unzip.on('error', () => fail(invalidXlsx()));
    unzip.on('finish', () => (failed ? undefined : workbook ? resolve() : fail(invalidXlsx())));
    source.on('error', (err) => fail(err));
    source.pipe(counter).pipe(unzip);
  });
}

/** A cell as text: formulas give their cached result (never evaluated), dates an ISO date. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, value.getUTCHours() || value.getUTCMinutes() ? 19 : 10);
  if ('result' in value || 'formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    return result === undefined || (typeof result === 'object' && result !== null && 'error' in result)
      ? ''
      : cellText(result as ExcelJS.CellValue);
  }
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('text' in value) return cellText((value as { text: ExcelJS.CellValue }).text);
  return '';
}

/** The workbook's tabs in the order Excel shows them (workbook.xml), once the reader has read it. */
interface TabsModel {
  model?: { sheets?: Array<{ name: string; state?: string }> };
}

/**
 * Streams the rows of the first visible tab, the sheet Excel opens on, whatever the order of the
 * sheets inside the archive. Call scanXlsx on the same bytes first.
 */
export async function* xlsxRows(source: Readable): AsyncGenerator<RawRow> {
  // Loaded on first use: most processes never read a workbook.
  const { default: Excel } = await import('exceljs');
  const reader = new Excel.stream.xlsx.WorkbookReader(source, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    worksheets: 'emit',
    entries: 'emit',
  });
  let rowNo = 0;
  try {
    for await (const sheet of reader) {
      const tabs = (reader as unknown as TabsModel).model?.sheets ?? [];
      const first = tabs.find((tab) => tab.state !== 'hidden' && tab.state !== 'veryHidden') ?? tabs[0];
      if (first && (sheet as unknown as { name: string }).name !== first.name) {
        // Another tab, stored first in the archive: drained, not read.
        for await (const _row of sheet) continue;
        continue;
      }
      for await (const row of sheet) {
        // row.values is 1-based and sparse; rows entirely empty are not emitted by the reader.
        const values = row.values as ExcelJS.CellValue[];
        rowNo = row.number;
        if (values.length - 1 > LIMITS.maxColumns) {
          yield { rowNo, problem: 'too_many_columns' };
          continue;
        }
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]).trim());
        if (cells.every((c) => c === '')) continue;
        yield limitCells(rowNo, cells);
      }
      return; // the first tab only
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw invalidXlsx();
  }
}
