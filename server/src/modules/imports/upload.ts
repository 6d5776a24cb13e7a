import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { AppError } from '../../lib/errors.ts';
import { encryptStream } from './filecrypt.ts';
import { Utf8Check } from './parsing/encoding.ts';
import type { FileKind } from './parsing/source.ts';

const EXTENSIONS: Record<string, FileKind> = { csv: 'csv', txt: 'csv', xlsx: 'xlsx' };

export const unsupportedType = (message = 'Type de fichier non accepté : envoyez un fichier .csv, .txt ou .xlsx.') =>
  new AppError(415, 'UNSUPPORTED_FILE_TYPE', message);

/** .csv / .txt / .xlsx only, judged by the name here and by the first bytes while streaming. */
export function kindOfName(fileName: string): FileKind {
  const ext = fileName.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? '';
  const kind = EXTENSIONS[ext];
  if (!kind) throw unsupportedType();
  return kind;
}

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
/** Signatures of files that are surely not CSV text: zip/xlsx, PDF, old Office (OLE), ELF, PE, images. */
const NOT_TEXT = [ZIP, Buffer.from('%PDF'), Buffer.from([0xd0, 0xcf, 0x11, 0xe0]), Buffer.from([0x7f, 0x45, 0x4c, 0x46]),
  Buffer.from('MZ'), Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.from([0xff, 0xd8, 0xff]), Buffer.from('GIF8')];

function checkMagic(kind: FileKind, head: Buffer): void {
  if (kind === 'xlsx') {
    if (!head.subarray(0, 4).equals(ZIP)) throw unsupportedType('Le fichier .xlsx n’est pas un classeur Excel (contenu non conforme).');
  } else if (NOT_TEXT.some((sig) => head.subarray(0, sig.length).equals(sig))) {
    throw unsupportedType('Le contenu du fichier ne correspond pas à un fichier texte .csv/.txt.');
  }
}

/**
 * Streams an upload to `target`, encrypted under `fileKey`, while hashing (SHA-256 of the clear
 * bytes), checking its first bytes and whether it is all valid UTF-8. Never holds the file in memory.
 */
export async function storeUpload(source: Readable, kind: FileKind, fileKey: Buffer, target: string): Promise<{ sha256: string; size: number; utf8: boolean }> {
  const hash = createHash('sha256');
  const utf8 = new Utf8Check();
  let size = 0;
  let head: Buffer = Buffer.alloc(0);
  let checked = false;
  const inspect = new Transform({
    transform(chunk: Buffer, _enc, done) {
      try {
        if (!checked) {
          head = Buffer.concat([head, chunk]);
          if (head.length >= 8) {
            checkMagic(kind, head);
            checked = true;
          }
        }
        hash.update(chunk);
        if (kind === 'csv') utf8.update(chunk);
        size += chunk.length;
        done(null, chunk);
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done) {
      try {
        if (!checked) checkMagic(kind, head);
        done();
      } catch (err) {
        done(err as Error);
      }
    },
  });
  const out = createWriteStream(target, { mode: 0o600 });
  try {
    await pipeline(source, inspect, encryptStream(fileKey), out);
  } catch (err) {
    // The file may still be opening: wait, so that the caller's removal really removes it.
    if (!out.closed) await once(out, 'close');
    throw err;
  }
  return { sha256: hash.digest('hex'), size, utf8: utf8.result() };
}
