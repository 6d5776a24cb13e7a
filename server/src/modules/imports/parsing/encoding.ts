import chardet from 'chardet';
import { AppError } from '../../../lib/errors.ts';

export type TextEncoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

export const binaryFile = () =>
  new AppError(422, 'BINARY_FILE', 'Le fichier ne contient pas du texte (fichier binaire ou corrompu) : exportez-le en CSV ou XLSX.');

/** True when `bytes` is valid UTF-8, ignoring a sequence cut at the end of the sample. */
function isUtf8(bytes: Buffer, truncated: boolean): boolean {
  let end = bytes.length;
  if (truncated) {
    // Step back over an incomplete trailing multi-byte sequence.
    let i = end - 1;
    while (i >= 0 && i > end - 4 && (bytes[i]! & 0xc0) === 0x80) i--;
    if (i >= 0 && bytes[i]! >= 0xc0) end = i;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/**
 * Encoding of a text file from its first bytes. French Excel writes UTF-8 with BOM ("CSV UTF-8"),
 * Windows-1252 ("CSV (séparateur: point-virgule)") or UTF-16LE ("Texte Unicode"). ISO-8859-1 is read
 * as Windows-1252 (its superset for printable text; chardet says ISO-8859-1 on short cp1252 text).
 * Throws BINARY_FILE for NUL bytes or control characters that no text export contains.
 */
export function detectEncoding(sample: Buffer, truncated: boolean): { encoding: TextEncoding; bom: boolean } {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', bom: true };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', bom: true };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', bom: true };
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) throw binaryFile();
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) control++;
  }
  if (control > Math.max(2, sample.length / 1000)) throw binaryFile();
  if (isUtf8(sample, truncated)) return { encoding: 'utf-8', bom: false };
  const guess = chardet.detect(sample)?.toLowerCase() ?? '';
  if (guess === 'utf-16le' || guess === 'utf-16be') return { encoding: guess, bom: false };
  return { encoding: 'windows-1252', bom: false };
}
