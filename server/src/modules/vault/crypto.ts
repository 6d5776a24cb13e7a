import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Vault blob format, version 1: [1 byte version][12 bytes IV][16 bytes GCM tag][ciphertext].
 * The additional authenticated data binds each blob to its context (the campaign), so a blob
 * copied into another campaign's row fails authentication instead of decrypting.
 */
export const BLOB_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;
export const KEY_BYTES = 32;

export class VaultError extends Error {
  constructor(
    public readonly reason: 'key_destroyed' | 'key_missing' | 'bad_blob' | 'auth_failed' | 'unknown_master_key',
    message: string,
  ) {
    super(message);
    this.name = 'VaultError';
  }
}

export function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(BLOB_VERSION), iv, cipher.getAuthTag(), body]);
}

export function open(key: Buffer, blob: Buffer, aad: Buffer): Buffer {
  if (blob.length < HEADER_BYTES) throw new VaultError('bad_blob', 'vault blob too short');
  if (blob[0] !== BLOB_VERSION) throw new VaultError('bad_blob', `unsupported vault blob version ${blob[0]}`);
  const iv = blob.subarray(1, 1 + IV_BYTES);
  const tag = blob.subarray(1 + IV_BYTES, HEADER_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(blob.subarray(HEADER_BYTES)), decipher.final()]);
  } catch {
    throw new VaultError('auth_failed', 'vault blob failed authentication (wrong key or context)');
  }
}

/** AAD of data blobs: the campaign they belong to. */
export const dataAad = (campaignId: string) => Buffer.from(`passerelle:data:${campaignId}`);
/** AAD of a wrapped data key: the campaign and the master key id that wrapped it. */
export const wrapAad = (campaignId: string, masterKeyId: string) => Buffer.from(`passerelle:key:${campaignId}:${masterKeyId}`);

export function hmacHex(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value, 'utf8').digest('hex');
}

export const newDataKey = () => randomBytes(KEY_BYTES);
