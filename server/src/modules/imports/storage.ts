import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Vault, DataKey } from '../vault/vault.ts';
import { decryptStream } from './filecrypt.ts';

/** Where an encrypted upload lives under DATA_DIR. */
export function uploadPath(dataDir: string, campaignId: string, importId: string): string {
  return path.resolve(dataDir, 'imports', campaignId, `${importId}.enc`);
}

export async function ensureUploadDir(file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
}

export const removeUpload = (file: string) => rm(file, { force: true });

/** The clear bytes of an upload, authenticated chunk by chunk as they are read. */
export function openUpload(vault: Vault, key: DataKey, storagePath: string, fileKeyCipher: Buffer): Readable {
  const fileKey = vault.decrypt(key, fileKeyCipher);
  const raw = createReadStream(storagePath, { highWaterMark: 256 * 1024 });
  const clear = decryptStream(fileKey);
  raw.on('error', (err) => clear.destroy(err));
  return raw.pipe(clear);
}
