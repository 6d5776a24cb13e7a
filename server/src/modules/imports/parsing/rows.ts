/** One record of a partner file, as read (before any mapping or validation). */
export type RawRow =
  | { rowNo: number; cells: string[] }
  | { rowNo: number; problem: RowProblem };

export type RowProblem = 'too_many_columns' | 'cell_too_long' | 'malformed_row';

/** Records are read in batches of about this many rows or cell characters (wide rows must not pile up). */
export interface BatchBounds {
  rows: number;
  chars: number;
}
