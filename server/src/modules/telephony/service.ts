import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { RecordedCall, RecordingService } from '../recordings/service.ts';
import type { NgClient } from './ng/client.ts';
import { NgError } from './ng/client.ts';
import { SipCallRepository } from './repository.ts';
import type { OnDial } from '../dialer/call-tokens.ts';
import type { SipEvent } from './schemas.ts';

const run = promisify(execFile);

/** Kamailio dialog states (dlg.dlg_list "state"). */
const DLG_UNCONFIRMED = 1;
const DLG_EARLY = 2;
const DLG_CONFIRMED_NA = 3;
const DLG_CONFIRMED = 4;
/** How long a hung-up call may wait for the proxy's "ended" event before the server ends it. */
const SILENT_END_GRACE_MS = 2000;
/** Calls whose events one batch applies at once. */
const EVENT_CHAINS_AT_ONCE = 3;
const uuid = z.uuid();

export type HungUpBy = 'agent' | 'customer' | 'supervisor' | 'system';

/** What telephony needs from the dialer (DialerLink implements it with the contract functions). */
export interface CallControl {
  /** `onDial`'s write runs in the accepted dial's own statement. */
  resolve(
    args: { token: string; agentUserId: string },
    onDial?: OnDial,
  ): Promise<
    | { ok: true; attemptId: string; campaignId: string; destinationE164: string; callerId: string }
    | { ok: false; reason: string }
  >;
  report(ev: { attemptId: string; event: 'ringing' | 'answered' | 'ended'; at: Date; sipCode?: number; cause?: string; hungUpBy?: HungUpBy }): Promise<void>;
}

/** How a call's recording ends up ("processing" is written with the call's end). */
export type FinalRecordingStatus = 'stored' | 'none' | 'failed';

/** What telephony needs from practice calls (assessment's PracticeSessions implements it). */
export interface PracticeControl {
  resolve(args: { token: string; agentUserId: string; callId: string }): Promise<{ ok: true; practiceCallId: string; trainerId: string } | { ok: false; reason: string }>;
  byCallId(callId: string): Promise<{ id: string } | undefined>;
  report(ev: { practiceCallId: string; event: 'ringing' | 'answered' | 'ended'; at: Date; sipCode?: number; cause?: string; hungUpBy?: HungUpBy }): Promise<boolean>;
  recordingStatus(practiceCallId: string, status: FinalRecordingStatus, recordingId?: string | null): Promise<void>;
  openCalls(olderThan: Date): Promise<{ id: string; callId: string | null }[]>;
}

export type PracticeResolveResult = { ok: true; trainer: string; practiceCallId: string } | { ok: false; sipCode: number; reason: string };

/** Refusal reasons → SIP code; unknown and someone else's tokens look alike (no oracle). */
const REFUSAL_SIP: Record<string, number> = { unknown: 404, wrong_agent: 404 };

export type ResolveResult =
  | { ok: true; destination: string; callerId: string; attemptId: string }
  | { ok: false; sipCode: number; reason: string };

type LiveCall = NonNullable<Awaited<ReturnType<SipCallRepository['liveByAttempt']>>>;

/** The server side of the SIP proxy: token resolution, call events, media control. */
export class TelephonyService {
  private readonly inflight = new Set<Promise<void>>();
  private readonly endedListeners: ((call: { callId: string; attemptId: string }) => Promise<unknown>)[] = [];

  constructor(
    private readonly calls: SipCallRepository,
    private readonly control: CallControl,
    private readonly practice: PracticeControl,
    private readonly ng: NgClient,
    private readonly recordings: RecordingService,
    private readonly config: Pick<Config, 'KAMAILIO_CTL' | 'SUPERVISOR_HANGUP_CONSOLE_GRACE_MS'>,
    private readonly log: FastifyBaseLogger,
  ) {}

  async resolve(token: string, agentUserId: string, callId: string | undefined): Promise<ResolveResult> {
    // The SIP call is recorded with the dial, in its transaction.
    const r = await this.control.resolve({ token, agentUserId }, callId ? (db, dial, onlyIf) => SipCallRepository.opening(db, { callId, ...dial, agentUserId }, onlyIf) : undefined);
    if (!r.ok) return { ok: false, sipCode: REFUSAL_SIP[r.reason] ?? 403, reason: r.reason };
    return { ok: true, destination: r.destinationE164, callerId: r.callerId, attemptId: r.attemptId };
  }

  /** A practice token (trainee → trainer's browser): the trainer's user id, never a number. */
  async resolvePractice(token: string, agentUserId: string, callId: string): Promise<PracticeResolveResult> {
    const r = await this.practice.resolve({ token, agentUserId, callId });
    if (!r.ok) return { ok: false, sipCode: REFUSAL_SIP[r.reason] ?? 403, reason: r.reason };
    return { ok: true, trainer: r.trainerId, practiceCallId: r.practiceCallId };
  }

  /** Runs after a call's "ended" event is applied (live supervision ends with the call). */
  onEnded(listener: (call: { callId: string; attemptId: string }) => Promise<unknown>): void {
    this.endedListeners.push(listener);
  }

  /**
   * A batch of call events: each call's events in their order, a few calls side by side (more
   * would take the database connections token resolutions wait for). If any failed, this
   * throws once all are done (the proxy sends the batch again; applied events are then ignored).
   */
  async events(batch: SipEvent[]): Promise<void> {
    const byCall = new Map<string, SipEvent[]>();
    for (const ev of batch) {
      const chain = byCall.get(ev.callId);
      if (chain) chain.push(ev);
      else byCall.set(ev.callId, [ev]);
    }
    const chains = [...byCall.values()];
    const failures: unknown[] = [];
    const worker = async () => {
      for (let chain = chains.shift(); chain; chain = chains.shift()) {
        try {
          for (const ev of chain) await this.event(ev);
        } catch (err) {
          failures.push(err);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(EVENT_CHAINS_AT_ONCE, chains.length) }, worker));
    if (failures.length) throw failures[0];
  }

  /**
   * Applies a Kamailio call event: the dialer first (it ignores repeated events), then the SIP
   * call's record, which marks the event applied. A failure in between answers 5xx and Kamailio
   * sends the whole event again; marking it first would make that retry a no-op and leave the
   * trainee "in call". The first "ended" applied ends supervision and stores the recording.
   */
  async event(ev: SipEvent): Promise<void> {
    const at = new Date(Math.round(Number(ev.at) * 1000));
    // Ringing and answered need no read: the proxy carries the attempt the server gave it, and the
    // dialer ignores what no longer applies. "ended" needs the call's record (who terminated it).
    const lookup = ev.event === 'ended' || !uuid.safeParse(ev.attemptId).success;
    const call = lookup ? await this.calls.byCallId(ev.callId) : undefined;
    if (lookup && !call) {
      const practice = await this.practice.byCallId(ev.callId);
      if (practice) return this.practiceEvent(practice.id, ev);
      this.log.warn({ callId: ev.callId, event: ev.event }, 'event for an unknown SIP call');
      return;
    }
    if (call?.endedAt && ev.event !== 'ended') return;
    // A call a supervisor terminated is hung up by the supervisor, whatever the proxy saw.
    const hungUpBy: HungUpBy | null = ev.event !== 'ended' ? null : call?.terminatedBy ? 'supervisor' : (ev.hungUpBy ?? 'system');
    await this.control.report({
      attemptId: call?.attemptId ?? ev.attemptId,
      event: ev.event,
      at,
      ...(ev.sipCode !== undefined ? { sipCode: ev.sipCode } : {}),
      ...(ev.cause !== undefined ? { cause: ev.cause } : {}),
      ...(hungUpBy ? { hungUpBy } : {}),
    });
    if (!(await this.calls.apply(ev, at, hungUpBy)) || !call || ev.event !== 'ended') return;
    for (const listener of this.endedListeners) {
      await listener(call).catch((err: unknown) => this.log.error({ err, callId: call.callId }, 'call-ended listener failed'));
    }
    this.track(this.finish({ callId: call.callId, attemptId: call.attemptId, campaignId: call.campaignId }, (status) => this.calls.setRecordingStatus(call.callId, status)));
  }

  /** A practice call's event: the practice record follows; on "ended" its recording is stored. */
  private async practiceEvent(practiceCallId: string, ev: SipEvent): Promise<void> {
    const at = new Date(Math.round(Number(ev.at) * 1000));
    const hungUpBy = ev.event === 'ended' ? (ev.hungUpBy ?? 'system') : undefined;
    const applied = await this.practice.report({
      practiceCallId,
      event: ev.event,
      at,
      ...(ev.sipCode !== undefined ? { sipCode: ev.sipCode } : {}),
      ...(ev.cause !== undefined ? { cause: ev.cause } : {}),
      ...(hungUpBy ? { hungUpBy } : {}),
    });
    if (applied && ev.event === 'ended') {
      this.track(this.finish({ callId: ev.callId, practiceCallId }, (status, id) => this.practice.recordingStatus(practiceCallId, status, id)));
    }
  }

  private track(work: Promise<void>): void {
    const done: Promise<void> = work.catch((err: unknown) => this.log.error({ err }, 'call finish failed')).finally(() => this.inflight.delete(done));
    this.inflight.add(done);
  }

  /** Waits for recordings still being stored (graceful shutdown). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inflight]);
  }

  /**
   * Deletes the whole call in rtpengine (Kamailio deletes one branch only; live-listen
   * subscriptions would keep it alive), which also closes the pcap, then stores the recording
   * and sets its final status (the call's "ended" write already marked it as processing).
   */
  private async finish(call: RecordedCall, setStatus: (status: FinalRecordingStatus, recordingId?: string | null) => Promise<void>): Promise<void> {
    const { callId } = call;
    try {
      await this.ng.command('delete', { 'call-id': callId });
    } catch (err) {
      if (!(err instanceof NgError)) throw err;
    }
    try {
      const id = await this.recordings.store(call);
      await setStatus(id ? 'stored' : 'none', id);
    } catch (err) {
      this.log.error({ err, callId }, 'recording failed');
      await setStatus('failed').catch(() => undefined);
    }
  }

  /**
   * Hangs up a live call at once, answered or not. An answered call (confirmed dialog): the
   * trainee's console is told to hang up (`askConsole`), and its BYE crosses the proxy to the
   * customer like any hang-up; if the call is still open after a grace (a console that does not
   * obey), the proxy sends a BYE to both parties. A call still ringing gets its INVITE cancelled
   * towards the customer (the customer's 487 ends the trainee's INVITE too). The ended event
   * follows either way.
   */
  async hangup(attemptId: string, supervisorId: string, askConsole: (agentUserId: string) => void): Promise<boolean> {
    const call = await this.calls.liveByAttempt(attemptId);
    if (!call) return false;
    await this.calls.markTerminatedBy(call.callId, supervisorId);
    await this.endCall(call, 'supervisor', askConsole);
    return true;
  }

  /**
   * The trainee's own call when its console lost the line (page reloaded or closed mid-call): the
   * browser has no SIP session left to send a BYE, so the proxy ends the call for it at once.
   */
  async hangupLostLine(attemptId: string, agentUserId: string): Promise<boolean> {
    const call = await this.calls.liveByAttempt(attemptId);
    if (!call || call.agentUserId !== agentUserId) return false;
    await this.endCall(call, 'agent', null);
    return true;
  }

  /** Ends a live call through the proxy; `askConsole`: let the trainee's console hang up first. */
  private async endCall(call: LiveCall, by: 'supervisor' | 'agent', askConsole: ((agentUserId: string) => void) | null): Promise<void> {
    // "s:": kamcmd would pass a numeric-looking value as an integer; these RPCs want strings.
    const dialog = await this.rpc('dlg.dlg_list', `s:${call.callId}`).catch(() => '');
    const field = (name: string) => new RegExp(`\\b${name}: (\\d+)`).exec(dialog)?.[1];
    const [entry, id, state] = [field('h_entry'), field('h_id'), Number(field('state'))];
    // The caller leg's CSeq is the INVITE's (no in-dialog request from the trainee before the answer).
    const cseq = /caller: \{[^}]*?\bcseq: (\d+)/.exec(dialog)?.[1];
    if (entry && id && (state === DLG_CONFIRMED_NA || state === DLG_CONFIRMED)) {
      if (askConsole) {
        askConsole(call.agentUserId);
        this.track(this.endUnlessConsoleDid(call, entry, id));
      } else {
        await this.makeSureItEnds(call, await this.tryRpc(call.callId, 'dlg.end_dlg', entry, id), by);
      }
      return;
    }
    const ended = cseq && (state === DLG_UNCONFIRMED || state === DLG_EARLY) ? await this.tryRpc(call.callId, 'tm.cancel', `s:${call.callId}`, `s:${cseq}`) : false;
    await this.makeSureItEnds(call, ended, by);
  }

  /**
   * The proxy's BYE to both parties (`dlg.end_dlg`), only when the console did not hang up: with
   * Kamailio 5.6, the trainee's reply to the first BYE can delete the dialog before the second is
   * sent, and the customer is then never sent one (see endIfSilent).
   */
  private async endUnlessConsoleDid(call: { callId: string; attemptId: string }, entry: string, id: string): Promise<void> {
    for (const deadline = Date.now() + this.config.SUPERVISOR_HANGUP_CONSOLE_GRACE_MS; Date.now() < deadline; ) {
      if ((await this.calls.byCallId(call.callId))?.endedAt) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    this.log.warn({ callId: call.callId }, 'the console did not hang up the call a supervisor ended: the proxy does');
    await this.makeSureItEnds(call, await this.tryRpc(call.callId, 'dlg.end_dlg', entry, id), 'supervisor');
  }

  /** After the proxy was asked to end a call (`accepted`: it did): the media torn down if not, the call ended here if no event follows. */
  private async makeSureItEnds(call: { callId: string; attemptId: string }, accepted: boolean, by: 'supervisor' | 'agent'): Promise<void> {
    // No dialog to end (yet, or any more): tear down the media; the ended event follows.
    if (!accepted) await this.ng.command('delete', { 'call-id': call.callId }).catch(() => undefined);
    this.track(this.endIfSilent(call, accepted ? SILENT_END_GRACE_MS : 0, by));
  }

  /**
   * Kamailio (5.6) can drop a hung-up call's "ended" event: when the first BYE's reply deletes
   * the dialog before end_dlg has sent the second BYE, that BYE is refused (the RPC fails) or the
   * dialog:end route is skipped. A call hung up through the proxy (by a supervisor, or for a
   * trainee whose page lost its line) that is still open here after the grace is ended by the
   * server itself, so no trainee stays "in call".
   */
  private async endIfSilent(call: { callId: string; attemptId: string }, graceMs: number, by: 'supervisor' | 'agent'): Promise<void> {
    if (graceMs) await new Promise((resolve) => setTimeout(resolve, graceMs));
    if ((await this.calls.byCallId(call.callId))?.endedAt) return;
    this.log.warn({ callId: call.callId, by }, 'no end event from the proxy after a hang-up it was asked for: call ended here');
    await this.event({ event: 'ended', attemptId: call.attemptId, callId: call.callId, at: String(Date.now() / 1000), cause: by, hungUpBy: by });
  }

  private async tryRpc(callId: string, ...args: string[]): Promise<boolean> {
    return this.rpc(...args).then(
      () => true,
      (err: unknown) => {
        this.log.warn({ err, callId }, `${args[0]} failed`);
        return false;
      },
    );
  }

  private async rpc(...args: string[]): Promise<string> {
    const { stdout } = await run('kamcmd', ['-s', `unix:${this.config.KAMAILIO_CTL}`, ...args], { timeout: 3000 });
    // kamcmd prints an RPC fault and still exits 0.
    if (stdout.startsWith('error:')) throw new Error(`kamailio ${args[0]}: ${stdout.trim()}`);
    return stdout;
  }

  /**
   * After a restart (or a lost event), calls still open here but unknown to rtpengine are over:
   * they are ended as "system" so no trainee stays "in call".
   */
  async reconcile(graceMs = 60_000): Promise<number> {
    const olderThan = new Date(Date.now() - graceMs);
    const open = [
      ...(await this.calls.openCalls(olderThan)).map((c) => ({ callId: c.callId, attemptId: c.attemptId })),
      ...(await this.practice.openCalls(olderThan)).flatMap((p) => (p.callId ? [{ callId: p.callId, attemptId: 'practice' }] : [])),
    ];
    let closed = 0;
    for (const call of open) {
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
