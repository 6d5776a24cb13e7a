/**
 * CSV for French Excel: UTF-8 with BOM, `;` separator, CRLF line ends. Cells Excel would read as
 * a formula (starting with = + - @, tab or CR) get a leading apostrophe, so a hostile value such as
 * `=HYPERLINK(...)` stays text (CSV/formula injection).
 */
export const CSV_BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly (string | number | boolean | null | undefined)[]): string {
  return cells.map(csvCell).join(';') + '\r\n';
}
