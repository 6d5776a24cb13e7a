import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { FastifyBaseLogger } from 'fastify';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Config } from '../../config.ts';
import type { RecordingService } from '../recordings/service.ts';
import type { NgClient } from './ng/client.ts';
import { NgError } from './ng/client.ts';
import type { SipCallRepository } from './repository.ts';
import type { SipEvent } from './schemas.ts';

const run = promisify(execFile);

export type HungUpBy = 'agent' | 'customer' | 'supervisor' | 'system';

/** What telephony needs from the dialer (DialerLink implements it with the contract functions). */
export interface CallControl {
  /** `onDial` runs inside the accepted dial's transaction. */
  resolve(
    args: { token: string; agentUserId: string },
    onDial?: (trx: Transaction<Database>, dial: { attemptId: string; campaignId: string }) => Promise<void>,
  ): Promise<
    | { ok: true; attemptId: string; campaignId: string; destinationE164: string; callerId: string }
    | { ok: false; reason: string }
  >;
  report(ev: { attemptId: string; event: 'ringing' | 'answered' | 'ended'; at: Date; sipCode?: number; cause?: string; hungUpBy?: HungUpBy }): Promise<void>;
}

/** Refusal reasons → SIP code; unknown and someone else's tokens look alike (no oracle). */
const REFUSAL_SIP: Record<string, number> = { unknown: 404, wrong_agent: 404 };

export type ResolveResult =
  | { ok: true; destination: string; callerId: string; attemptId: string }
  | { ok: false; sipCode: number; reason: string };

/** The server side of the SIP proxy: token resolution, call events, media control. */
export class TelephonyService {
  private readonly inflight = new Set<Promise<void>>();

  constructor(
    private readonly calls: SipCallRepository,
    private readonly control: CallControl,
    private readonly ng: NgClient,
    private readonly recordings: RecordingService,
    private readonly config: Pick<Config, 'KAMAILIO_CTL'>,
    private readonly log: FastifyBaseLogger,
  ) {}

  async resolve(token: string, agentUserId: string, callId: string | undefined): Promise<ResolveResult> {
    // The SIP call is recorded with the dial, in its transaction.
    const r = await this.control.resolve({ token, agentUserId }, callId ? (trx, dial) => this.calls.open({ callId, ...dial, agentUserId }, trx) : undefined);
    if (!r.ok) return { ok: false, sipCode: REFUSAL_SIP[r.reason] ?? 403, reason: r.reason };
    return { ok: true, destination: r.destinationE164, callerId: r.callerId, attemptId: r.attemptId };
  }

  /** Applies a Kamailio call event once, forwards it to the dialer, finishes media on "ended". */
  async event(ev: SipEvent): Promise<void> {
    const call = await this.calls.byCallId(ev.callId);
    if (!call) {
      this.log.warn({ callId: ev.callId, event: ev.event }, 'event for an unknown SIP call');
      return;
    }
    const at = new Date(Math.round(Number(ev.at) * 1000));
    const hungUpBy: HungUpBy | null = ev.event === 'ended' ? (call.terminatedBy ? 'supervisor' : (ev.hungUpBy ?? 'system')) : null;
    if (!(await this.calls.apply(ev, at, hungUpBy))) return;
    await this.control.report({
      attemptId: call.attemptId,
      event: ev.event,
      at,
      ...(ev.sipCode !== undefined ? { sipCode: ev.sipCode } : {}),
      ...(ev.cause !== undefined ? { cause: ev.cause } : {}),
      ...(hungUpBy ? { hungUpBy } : {}),
    });
    if (ev.event === 'ended') {
      const done: Promise<void> = this.finish(call.callId, call.attemptId, call.campaignId)
        .catch((err: unknown) => this.log.error({ err, callId: call.callId }, 'call finish failed'))
        .finally(() => this.inflight.delete(done));
      this.inflight.add(done);
    }
  }

  /** Waits for recordings still being stored (graceful shutdown). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inflight]);
  }

  /**
   * Deletes the whole call in rtpengine (Kamailio deletes one branch only; live-listen
   * subscriptions would keep it alive), which also closes the pcap, then stores the recording.
   */
  private async finish(callId: string, attemptId: string, campaignId: string): Promise<void> {
    try {
      await this.ng.command('delete', { 'call-id': callId });
    } catch (err) {
      if (!(err instanceof NgError)) throw err;
    }
    try {
      await this.calls.setRecordingStatus(callId, 'processing');
      const id = await this.recordings.store({ callId, attemptId, campaignId });
      await this.calls.setRecordingStatus(callId, id ? 'stored' : 'none');
    } catch (err) {
      this.log.error({ err, callId }, 'recording failed');
      await this.calls.setRecordingStatus(callId, 'failed').catch(() => undefined);
    }
  }

  /** Hangs up a live call at once: BYE to both parties through Kamailio's dialog module. */
  async hangup(attemptId: string, supervisorId: string): Promise<boolean> {
    const call = await this.calls.liveByAttempt(attemptId);
    if (!call) return false;
    await this.calls.markTerminatedBy(call.callId, supervisorId);
    const dialog = await this.rpc('dlg.dlg_list', call.callId).catch(() => '');
    const entry = /h_entry: (\d+)/.exec(dialog)?.[1];
    const id = /h_id: (\d+)/.exec(dialog)?.[1];
    if (entry && id && /state: 4\b/.test(dialog)) {
      await this.rpc('dlg.end_dlg', entry, id);
    } else {
      // Not answered yet (no confirmed dialog): tear down the media; the ended event follows.
      await this.ng.command('delete', { 'call-id': call.callId }).catch(() => undefined);
    }
    return true;
  }

  private async rpc(...args: string[]): Promise<string> {
    const { stdout } = await run('kamcmd', ['-s', `unix:${this.config.KAMAILIO_CTL}`, ...args], { timeout: 3000 });
    return stdout;
  }

  /**
   * After a restart (or a lost event), calls still open here but unknown to rtpengine are over:
   * they are ended as "system" so no trainee stays "in call".
   */
  async reconcile(graceMs = 60_000): Promise<number> {
    let closed = 0;
    for (const call of await this.calls.openCalls(new Date(Date.now() - graceMs))) {
      try {
        await this.ng.command('query', { 'call-id': call.callId });
      } catch (err) {
        if (!(err instanceof NgError) || err.reason === 'timeout') continue;
        await this.event({ event: 'ended', attemptId: call.attemptId, callId: call.callId, at: String(Date.now() / 1000), cause: 'reconciled', hungUpBy: 'system' });
        closed++;
      }
    }
    return closed;
  }
}
