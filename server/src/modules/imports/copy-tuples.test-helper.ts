/** Reads binary COPY tuples back (test-side decoder): fields as Buffers, NULL as null. */
export function readTuples(buf: Buffer): (Buffer | null)[][] {
  const rows: (Buffer | null)[][] = [];
  for (let at = 0; at < buf.length; ) {
    const fields = buf.readInt16BE(at);
    at += 2;
    const row: (Buffer | null)[] = [];
    for (let i = 0; i < fields; i++) {
      const length = buf.readInt32BE(at);
      at += 4;
      row.push(length < 0 ? null : buf.subarray(at, (at += length)));
    }
    rows.push(row);
  }
  return rows;
}
