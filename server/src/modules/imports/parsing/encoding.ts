import { isUtf8 } from 'node:buffer';
import chardet from 'chardet';
import { AppError } from '../../../lib/errors.ts';

export type TextEncoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

export const binaryFile = () =>
  new AppError(422, 'BINARY_FILE', 'Le fichier ne contient pas du texte (fichier binaire ou corrompu) : exportez-le en CSV ou XLSX.');

/** Where `bytes` ends without its trailing multi-byte sequence, which the next bytes may complete. */
function withoutTrailingSequence(bytes: Buffer): number {
  let i = bytes.length - 1;
  while (i >= 0 && i > bytes.length - 4 && (bytes[i]! & 0xc0) === 0x80) i--;
  return i >= 0 && bytes[i]! >= 0xc0 ? i : bytes.length;
}

/** True when `bytes` is valid UTF-8, ignoring a sequence cut at the end of the sample. */
function isUtf8Sample(bytes: Buffer, truncated: boolean): boolean {
  return isUtf8(truncated ? bytes.subarray(0, withoutTrailingSequence(bytes)) : bytes);
}

/**
 * Whether a whole file, fed chunk by chunk, is valid UTF-8: a Windows-1252 file whose first
 * accent comes after the sniffed bytes must not be read as UTF-8 (its accents would become "�").
 */
export class Utf8Check {
  private valid = true;
  private carry = Buffer.alloc(0);

  update(chunk: Buffer): void {
    if (!this.valid) return;
    const bytes = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const end = withoutTrailingSequence(bytes);
    this.valid = isUtf8(bytes.subarray(0, end));
    this.carry = Buffer.from(bytes.subarray(end));
  }

  result(): boolean {
    return this.valid && isUtf8(this.carry);
  }
}

/**
 * Encoding of a text file from its first bytes, and whether the whole file is valid UTF-8
 * (`Utf8Check` over the upload). French Excel writes UTF-8 with BOM ("CSV UTF-8"),
 * Windows-1252 ("CSV (séparateur: point-virgule)") or UTF-16LE ("Texte Unicode"). ISO-8859-1 is read
 * as Windows-1252 (its superset for printable text; chardet says ISO-8859-1 on short cp1252 text).
 * Throws BINARY_FILE for NUL bytes or control characters that no text export contains.
 */
export function detectEncoding(sample: Buffer, truncated: boolean, wholeFileUtf8 = true): { encoding: TextEncoding; bom: boolean } {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', bom: true };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', bom: true };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', bom: true };
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) throw binaryFile();
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) control++;
  }
  if (control > Math.max(2, sample.length / 1000)) throw binaryFile();
  if (wholeFileUtf8 && isUtf8Sample(sample, truncated)) return { encoding: 'utf-8', bom: false };
  const guess = chardet.detect(sample)?.toLowerCase() ?? '';
  if (guess === 'utf-16le' || guess === 'utf-16be') return { encoding: guess, bom: false };
  return { encoding: 'windows-1252', bom: false };
}
