import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * Uploaded files at rest: AES-256-GCM in 64 KiB chunks under a random per-file key (itself stored
 * wrapped by the campaign's data key). Each chunk is authenticated before any byte of it is used;
 * its IV is the file nonce + chunk counter and its AAD carries the counter and a last-chunk flag,
 * so chunks cannot be reordered, dropped or the file truncated without the read failing.
 *
 * Layout: "PSF1" | nonce(8) | { length(u32 BE) | ciphertext | tag(16) }*
 */
const MAGIC = Buffer.from('PSF1');
const NONCE_BYTES = 8;
const TAG_BYTES = 16;
const CHUNK = 64 * 1024;
const MAX_RECORD = CHUNK + TAG_BYTES;

export class FileCryptoError extends Error {}

function iv(nonce: Buffer, counter: number): Buffer {
  const out = Buffer.alloc(12);
  nonce.copy(out, 0);
  out.writeUInt32BE(counter, NONCE_BYTES);
  return out;
}

function aad(counter: number, last: boolean): Buffer {
  const out = Buffer.alloc(MAGIC.length + 5);
  MAGIC.copy(out, 0);
  out.writeUInt32BE(counter, MAGIC.length);
  out[MAGIC.length + 4] = last ? 1 : 0;
  return out;
}

export const newFileKey = () => randomBytes(32);

export function encryptStream(key: Buffer): Transform {
  const nonce = randomBytes(NONCE_BYTES);
  let counter = 0;
  let pending: Buffer = Buffer.alloc(0);
  let headerSent = false;
  const seal = (plain: Buffer, last: boolean): Buffer => {
    const cipher = createCipheriv('aes-256-gcm', key, iv(nonce, counter));
    cipher.setAAD(aad(counter, last));
    counter++;
    const body = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    return Buffer.concat([len, body]);
  };
  const header = () => {
    if (headerSent) return [];
    headerSent = true;
    return [MAGIC, nonce];
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      const out: Buffer[] = header();
      // Keep the tail: the last chunk must be sealed with the last-chunk flag in flush().
      while (pending.length > CHUNK) {
        out.push(seal(pending.subarray(0, CHUNK), false));
        pending = pending.subarray(CHUNK);
      }
      done(null, out.length ? Buffer.concat(out) : undefined);
    },
    flush(done: TransformCallback) {
      done(null, Buffer.concat([...header(), seal(pending, true)]));
    },
  });
}

export function decryptStream(key: Buffer): Transform {
  let buffer: Buffer = Buffer.alloc(0);
  let nonce: Buffer | undefined;
  let counter = 0;
  let ended = false;
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
      try {
        if (!nonce) {
          if (buffer.length < MAGIC.length + NONCE_BYTES) return done();
          if (!buffer.subarray(0, MAGIC.length).equals(MAGIC)) throw new FileCryptoError('not an encrypted upload');
          nonce = Buffer.from(buffer.subarray(MAGIC.length, MAGIC.length + NONCE_BYTES));
          buffer = buffer.subarray(MAGIC.length + NONCE_BYTES);
        }
        const out: Buffer[] = [];
        while (buffer.length >= 4) {
          const len = buffer.readUInt32BE(0);
          if (len < TAG_BYTES || len > MAX_RECORD) throw new FileCryptoError('corrupt upload record');
          if (buffer.length < 4 + len) break;
          if (ended) throw new FileCryptoError('data after the last chunk');
          out.push(open(buffer.subarray(4, 4 + len)));
          buffer = buffer.subarray(4 + len);
        }
        done(null, out.length ? Buffer.concat(out) : undefined);
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done: TransformCallback) {
      if (!ended || buffer.length) return done(new FileCryptoError('encrypted upload is truncated'));
      done();
    },
  });

  function attempt(record: Buffer, last: boolean): Buffer | null {
    const decipher = createDecipheriv('aes-256-gcm', key, iv(nonce!, counter));
    decipher.setAAD(aad(counter, last));
    decipher.setAuthTag(record.subarray(record.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(record.subarray(0, record.length - TAG_BYTES)), decipher.final()]);
    } catch {
      return null;
    }
  }

  /** Only one of "middle chunk" / "last chunk" authenticates: that tells where the file ends. */
  function open(record: Buffer): Buffer {
    let plain = attempt(record, false);
    if (!plain) {
      plain = attempt(record, true);
      if (!plain) throw new FileCryptoError('encrypted upload failed authentication');
      ended = true;
    }
    counter++;
    return plain;
  }
}
