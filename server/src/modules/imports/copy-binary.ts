/**
 * PostgreSQL `COPY … (format binary)` encoding of staging rows: no hex for bytea, no escaping, no
 * text parsing on the server side, and a batch is one Buffer a worker thread hands over without copy.
 * Layout: header, then per row int16 field count and per field int32 length (-1 = NULL) + bytes,
 * then the int16 -1 trailer (https://www.postgresql.org/docs/15/sql-copy.html#id-1.9.3.55.9.4).
 */
export const COPY_BINARY_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
export const COPY_BINARY_TRAILER = Buffer.from([0xff, 0xff]);

/** Microseconds between the Unix epoch and PostgreSQL's (2000-01-01 UTC). */
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const JSONB_VERSION = 1;

export class BinaryRows {
  private buf: Buffer;
  private at = 0;

  constructor(capacity = 256 * 1024) {
    // Not from Buffer's shared pool: the ArrayBuffer is transferred to another thread whole.
    this.buf = Buffer.allocUnsafeSlow(capacity);
  }

  /** Room for `bytes` more bytes; returns the write offset. */
  reserve(bytes: number): number {
    if (this.at + bytes > this.buf.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.at + bytes));
      this.buf.copy(bigger, 0, 0, this.at);
      this.buf = bigger;
    }
    return this.at;
  }

  get buffer(): Buffer {
    return this.buf;
  }

  /** Moves past `bytes` bytes written directly into `buffer` at the offset `reserve` gave. */
  advance(bytes: number): void {
    this.at += bytes;
  }

  row(fields: number): void {
    this.reserve(2);
    this.at = this.buf.writeInt16BE(fields, this.at);
  }

  int4(value: number): void {
    this.reserve(8);
    this.at = this.buf.writeInt32BE(4, this.at);
    this.at = this.buf.writeInt32BE(value, this.at);
  }

  null(): void {
    this.reserve(4);
    this.at = this.buf.writeInt32BE(-1, this.at);
  }

  /** text (UTF-8); null → NULL. */
  text(value: string | null): void {
    if (value === null) return this.null();
    const start = this.reserve(4 + value.length * 3);
    const bytes = this.buf.write(value, start + 4, 'utf8');
    this.buf.writeInt32BE(bytes, start);
    this.at = start + 4 + bytes;
  }

  /** jsonb: a version byte, then the JSON text. */
  jsonb(json: string): void {
    const start = this.reserve(5 + json.length * 3);
    this.buf[start + 4] = JSONB_VERSION;
    const bytes = this.buf.write(json, start + 5, 'utf8');
    this.buf.writeInt32BE(bytes + 1, start);
    this.at = start + 5 + bytes;
  }

  bytea(value: Uint8Array): void {
    const start = this.reserve(4 + value.length);
    this.buf.writeInt32BE(value.length, start);
    this.buf.set(value, start + 4);
    this.at = start + 4 + value.length;
  }

  /** timestamptz: int64 microseconds since 2000-01-01 UTC; null → NULL. */
  timestamptz(value: Date | null): void {
    if (value === null) return this.null();
    this.reserve(12);
    this.at = this.buf.writeInt32BE(8, this.at);
    this.at = this.buf.writeBigInt64BE(BigInt(value.getTime() - PG_EPOCH_MS) * 1000n, this.at);
  }

  /** The rows written so far. */
  bytes(): Buffer {
    return this.buf.subarray(0, this.at);
  }
}
