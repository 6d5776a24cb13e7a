import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { AuditService } from '../audit/service.ts';
import type { Vault } from '../vault/vault.ts';
import { RecordingConverter } from './converter.ts';

/** A campaign call (attempt of a campaign) or a practice call (no campaign, no partner). */
export type RecordedCall = { callId: string } & ({ attemptId: string; campaignId: string } | { practiceCallId: string });

/**
 * After a call: rtpengine's pcap (both legs, decrypted) → mixed WAV → encrypted on disk with the
 * campaign's data key (practice calls: the vault's named key for practice recordings); waveform
 * peaks, duration and checksum in `recordings`. The pcap is deleted once stored: no clear audio
 * stays at rest.
 */
export class RecordingService {
  private readonly converter = new RecordingConverter();

  constructor(
    private readonly db: Db,
    private readonly vault: Vault,
    private readonly audit: AuditService,
    private readonly config: Pick<Config, 'TELEPHONY_SPOOL_DIR' | 'DATA_DIR' | 'RECORDING_RETENTION_DAYS'>,
    private readonly log: FastifyBaseLogger,
  ) {}

  private spoolFiles = async (callId: string): Promise<string[]> => {
    const out: string[] = [];
    for (const sub of ['pcaps', 'metadata']) {
      const dir = path.join(this.config.TELEPHONY_SPOOL_DIR, sub);
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const n of names) if (n.startsWith(`${callId}-`)) out.push(path.join(dir, n));
    }
    return out;
  };

  /** Converts and stores the call's recording; returns the recording id, or null without audio. */
  async store(call: RecordedCall): Promise<string | null> {
    const files = await this.spoolFiles(call.callId);
    const pcaps = files.filter((f) => f.endsWith('.pcap'));
    if (pcaps.length === 0) return null;
    const converted = await this.converter.convert(pcaps);
    if (!converted) {
      await Promise.all(files.map((f) => rm(f, { force: true })));
      return null;
    }
    const { wav } = converted;
    const owner =
      'practiceCallId' in call
        ? { attemptId: null, campaignId: null, partnerId: null, practiceCallId: call.practiceCallId }
        : {
            attemptId: call.attemptId,
            campaignId: call.campaignId,
            partnerId: (await this.db.selectFrom('campaigns').select(['partnerId']).where('id', '=', call.campaignId).executeTakeFirstOrThrow()).partnerId,
            practiceCallId: null,
          };
    const key = await this.keyOf(owner);
    const dir = path.join(this.config.DATA_DIR, 'recordings', owner.campaignId ?? 'practice');
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `${createHash('sha256').update(call.callId).digest('hex').slice(0, 32)}.wav.enc`);
    await writeFile(file, this.vault.encrypt(key, wav), { mode: 0o600 });
    const deleteAfter = new Date(Date.now() + this.config.RECORDING_RETENTION_DAYS * 86_400_000);
    const row = await this.db
      .insertInto('recordings')
      .values({
        ...owner,
        callId: call.callId,
        path: file,
        mimeType: 'audio/wav',
        sizeBytes: wav.length,
        durationMs: converted.durationMs,
        peaks: JSON.stringify(converted.peaks),
        sha256: converted.sha256,
        deleteAfter,
      })
      .onConflict((oc) => oc.column('callId').doNothing())
      .returning('id')
      .executeTakeFirst();
    await Promise.all(files.map((f) => rm(f, { force: true })));
    this.log.info({ callId: call.callId, streams: converted.streams, bytes: wav.length }, 'recording stored');
    return row?.id ?? null;
  }

  /** Stops the conversion thread (after the recordings being stored are done). */
  close(): Promise<void> {
    return this.converter.close();
  }

  async metadata(id: string) {
    return this.db.selectFrom('recordings').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async byAttempt(attemptId: string) {
    return this.db
      .selectFrom('recordings')
      .select(['id', 'attemptId', 'durationMs', 'peaks', 'mimeType', 'sizeBytes', 'createdAt'])
      .where('attemptId', '=', attemptId)
      .orderBy('createdAt')
      .execute();
  }

  /** Campaign recordings use the campaign's key; practice recordings (no campaign) a named one. */
  private keyOf(rec: { campaignId: string | null }) {
    return rec.campaignId ? this.vault.keyFor(rec.campaignId) : this.vault.namedKey('practice-recordings');
  }

  /** The clear audio, checked against the stored checksum. */
  async audio(rec: { path: string; campaignId: string | null; sha256: string }): Promise<Buffer> {
    const key = await this.keyOf(rec);
    const clear = this.vault.decrypt(key, await readFile(rec.path));
    if (createHash('sha256').update(clear).digest('hex') !== rec.sha256) throw new Error('recording checksum mismatch');
    return clear;
  }

  /** Retention: deletes recordings past their date (file first, then the row). */
  async purgeExpired(now = new Date()): Promise<number> {
    const due = await this.db.selectFrom('recordings').select(['id', 'path', 'campaignId', 'practiceCallId', 'deleteAfter']).where('deleteAfter', '<=', now).limit(500).execute();
    for (const r of due) {
      await rm(r.path, { force: true });
      await this.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('recordings').where('id', '=', r.id).execute();
        await this.audit.record(
          { userId: null, role: 'system' },
          { action: 'recording.purged', targetType: 'recording', targetId: r.id, details: { campaignId: r.campaignId, practiceCallId: r.practiceCallId, deleteAfter: r.deleteAfter.toISOString() } },
          trx,
        );
      });
    }
    return due.length;
  }
}
