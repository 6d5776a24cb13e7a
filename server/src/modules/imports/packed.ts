import type { BatchResult } from './encode.ts';
import type { RawRow, RowProblem } from './parsing/rows.ts';

/**
 * A batch as one string and an Int32Array: posting arrays of arrays of small strings costs more
 * (structured clone, then garbage) than the rest of the main thread's work. Layout per row:
 * row number, then the cell count and each cell's length, or -1 - the index of its problem.
 */
export interface PackedRows {
  text: string;
  layout: Int32Array;
}

const PROBLEMS: readonly RowProblem[] = ['too_many_columns', 'cell_too_long', 'malformed_row'];

export function packRows(rows: RawRow[]): PackedRows {
  let size = 0;
  for (const row of rows) size += 'cells' in row ? 2 + row.cells.length : 2;
  const layout = new Int32Array(size);
  const parts: string[] = [];
  let at = 0;
  for (const row of rows) {
    layout[at++] = row.rowNo;
    if ('problem' in row) {
      layout[at++] = -1 - PROBLEMS.indexOf(row.problem);
      continue;
    }
    layout[at++] = row.cells.length;
    for (const cell of row.cells) {
      layout[at++] = cell.length;
      parts.push(cell);
    }
  }
  return { text: parts.join(''), layout };
}

export function unpackRows({ text, layout }: PackedRows): RawRow[] {
  const rows: RawRow[] = [];
  let pos = 0;
  for (let at = 0; at < layout.length; ) {
    const rowNo = layout[at++]!;
    const count = layout[at++]!;
    if (count < 0) {
      rows.push({ rowNo, problem: PROBLEMS[-1 - count]! });
      continue;
    }
    const cells = new Array<string>(count);
    for (let i = 0; i < count; i++) {
      const length = layout[at++]!;
      cells[i] = text.slice(pos, (pos += length));
    }
    rows.push({ rowNo, cells });
  }
  return rows;
}

/** What a thread posts back: the COPY bytes arrive as a plain Uint8Array (transferred, not copied). */
export interface ThreadReply {
  id: number;
  result: Omit<BatchResult, 'copy'> & { copy: Uint8Array };
}

