/** One record of a partner file, as read (before any mapping or validation). */
export type RawRow =
  | { rowNo: number; cells: string[] }
  | { rowNo: number; problem: RowProblem };

export type RowProblem = 'too_many_columns' | 'cell_too_long' | 'malformed_row';
