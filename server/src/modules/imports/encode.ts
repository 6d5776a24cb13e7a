import { maskedCard, type MaskingPolicy } from '@passerelle/shared/masking';
import { createCipheriv, randomBytes } from 'node:crypto';
import { BLOB_VERSION, dataAad, hmacHex } from '../vault/crypto.ts';
import type { RawRow } from './parsing/rows.ts';
import { isReject, problemReject, validateRow, type Reject, type RowContext } from './validate.ts';

/** What a batch worker needs: validation context plus the campaign's key material. */
export interface BatchContext extends RowContext {
  campaignId: string;
  /** Raw campaign data key (vault DataKey.material) and the lookup HMAC key. */
  dataKey: Uint8Array;
  hmacKey: Uint8Array;
  maskingPolicy: MaskingPolicy;
}

/** Accepted rows as COPY text lines for the staging table, plus their keys for the block-list check. */
export interface BatchResult {
  lines: string[];
  hmacs: string[];
  rowNos: number[];
  rejects: Reject[];
}

/** Staging columns, in COPY order. */
export const STAGING_COLUMNS = [
  'row_no', 'phone_hmac', 'phones_cipher', 'pii_cipher', 'territory', 'time_zone',
  'language', 'legal_basis', 'consent_at', 'consent_source', 'masked',
] as const;

/** COPY text format: backslash escapes, \N for null. */
function text(value: string | null): string {
  if (value === null) return '\\N';
  return value.replace(/[\\\t\n\r]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r'));
}
const bytea = (buf: Buffer) => `\\\\x${buf.toString('hex')}`;

const IV_BYTES = 12;
const VERSION = Buffer.of(BLOB_VERSION);

/**
 * The vault blob of vault/crypto.ts `seal` (version | IV | tag | ciphertext), with the IV given:
 * a batch draws all its random IVs in one call, where one call per blob cost a sixth of the time.
 */
function sealWithIv(key: Buffer, iv: Buffer, plaintext: string, aad: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([VERSION, iv, cipher.getAuthTag(), body]);
}

export function makeBatchProcessor(ctx: BatchContext) {
  const key = Buffer.from(ctx.dataKey);
  const hmacKey = Buffer.from(ctx.hmacKey);
  const aad = dataAad(ctx.campaignId);
  return (rows: RawRow[]): BatchResult => {
    const out: BatchResult = { lines: [], hmacs: [], rowNos: [], rejects: [] };
    const ivs = randomBytes(rows.length * 2 * IV_BYTES);
    let ivAt = 0;
    const nextIv = () => ivs.subarray(ivAt, (ivAt += IV_BYTES));
    for (const row of rows) {
      if ('problem' in row) {
        out.rejects.push(problemReject(row.rowNo, row.problem));
        continue;
      }
      const result = validateRow(row.rowNo, row.cells, ctx);
      if (isReject(result)) {
        out.rejects.push(result);
        continue;
      }
      const primary = result.phones[0]!;
      const hmac = hmacHex(hmacKey, primary);
      const card = maskedCard({ ...result.pii, phone: primary }, ctx.maskingPolicy);
      out.lines.push(
        [
          String(result.rowNo),
          hmac,
          bytea(sealWithIv(key, nextIv(), JSON.stringify(result.phones), aad)),
          bytea(sealWithIv(key, nextIv(), JSON.stringify(result.pii), aad)),
          result.territory,
          result.timeZone,
          text(result.language),
          text(result.legalBasis),
          result.consentAt ? result.consentAt.toISOString() : '\\N',
          text(result.consentSource),
          text(JSON.stringify(card)),
        ].join('\t') + '\n',
      );
      out.hmacs.push(hmac);
      out.rowNos.push(result.rowNo);
    }
    return out;
  };
}
