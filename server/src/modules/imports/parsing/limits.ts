/** Hard limits applied while reading a partner file (documented in the import report). */
export const LIMITS = {
  /** A row with more cells is rejected on its own (reason too_many_columns); the file goes on. */
  maxColumns: 500,
  /** A cell longer than this rejects its row (reason cell_too_long). */
  maxCellChars: 2_000,
  /** A record longer than this (in characters) is skipped by the parser as row_too_large. */
  maxRecordChars: 1_000_000,
  /** Bytes looked at to detect encoding, delimiter and binary junk. */
  sniffBytes: 64 * 1024,
  /** XLSX (a zip): caps checked on the actually inflated bytes, never on the declared sizes. */
  xlsxMaxEntries: 2_000,
  xlsxMaxUncompressedBytes: 1_500 * 1024 * 1024,
  /** Above this inflated size, an archive inflating more than maxRatio× its compressed size is a bomb. */
  xlsxRatioFloorBytes: 20 * 1024 * 1024,
  xlsxMaxRatio: 200,
} as const;
