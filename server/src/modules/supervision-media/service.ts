import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { NgClient } from '../telephony/ng/client.ts';
import type { SipCallRepository } from '../telephony/repository.ts';
import { AppError } from '../../lib/errors.ts';

export type Participant = 'agent' | 'customer';

export interface ListenOffer {
  participant: Participant;
  /** rtpengine's tag for this subscription: echo it with the answer and to stop listening. */
  subscriptionTag: string;
  sdp: string;
}

/**
 * Live listening through rtpengine subscriptions: one WebRTC subscription per participant
 * (Chromium rejects one SDP carrying both legs' duplicate a=mid), sendonly from rtpengine.
 */
const WEBRTC = { 'transport-protocol': 'UDP/TLS/RTP/SAVPF', ICE: 'force', 'ICE-lite': 'forward', 'rtcp-mux': ['require'], SDES: ['off'] };

export class SupervisionMedia {
  constructor(
    private readonly calls: SipCallRepository,
    private readonly ng: NgClient,
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private whisperKey = (attemptId: string) => `${this.prefix}:whisper:${attemptId}`;

  private async answeredCall(attemptId: string) {
    const call = await this.calls.liveByAttempt(attemptId);
    if (!call?.answeredAt || !call.fromTag || !call.toTag) throw new AppError(409, 'CALL_NOT_LIVE', 'Aucun appel en cours à écouter pour cette tentative.');
    return call;
  }

  async listen(attemptId: string): Promise<{ callId: string; offers: ListenOffer[] }> {
    const call = await this.answeredCall(attemptId);
    const offers: ListenOffer[] = [];
    for (const [participant, tag] of [['agent', call.fromTag], ['customer', call.toTag]] as const) {
      const reply = await this.ng.command('subscribe request', { 'call-id': call.callId, 'from-tag': tag!, ...WEBRTC, flags: ['strict-source'] });
      offers.push({ participant, subscriptionTag: String(reply['to-tag']), sdp: String(reply.sdp) });
    }
    return { callId: call.callId, offers };
  }

  async answer(attemptId: string, subscriptionTag: string, sdp: string): Promise<void> {
    const call = await this.answeredCall(attemptId);
    await this.ng.command('subscribe answer', { 'call-id': call.callId, 'to-tag': subscriptionTag, sdp, flags: ['allow-transcoding'] });
  }

  async stop(attemptId: string, subscriptionTag: string): Promise<void> {
    const call = await this.calls.liveByAttempt(attemptId);
    if (!call) return;
    await this.ng.command('unsubscribe', { 'call-id': call.callId, 'to-tag': subscriptionTag }).catch(() => undefined);
  }

  /**
   * Whisper, trainer side: the trainer's microphone is published into the call as a monologue of
   * its own (ng `publish`), which no call leg forwards — the customer cannot hear it.
   */
  async whisper(attemptId: string, trainerSdp: string): Promise<{ sdp: string; whisperTag: string }> {
    const call = await this.answeredCall(attemptId);
    const whisperTag = `whisper-${randomBytes(6).toString('hex')}`;
    const reply = await this.ng.command('publish', { 'call-id': call.callId, 'from-tag': whisperTag, sdp: trainerSdp, ...WEBRTC });
    await this.redis.set(this.whisperKey(attemptId), whisperTag, 'EX', 4 * 3600);
    return { sdp: String(reply.sdp), whisperTag };
  }

  /** Whisper, trainee side: a receive-only subscription to the trainer's monologue of its own call. */
  async whisperFeed(agentUserId: string): Promise<{ subscriptionTag: string; sdp: string } | null> {
    const call = await this.calls.liveByAgent(agentUserId);
    if (!call?.answeredAt) return null;
    const whisperTag = await this.redis.get(this.whisperKey(call.attemptId));
    if (!whisperTag) return null;
    const reply = await this.ng.command('subscribe request', { 'call-id': call.callId, 'from-tag': whisperTag, ...WEBRTC });
    return { subscriptionTag: String(reply['to-tag']), sdp: String(reply.sdp) };
  }

  async whisperAnswer(agentUserId: string, subscriptionTag: string, sdp: string): Promise<void> {
    const call = await this.calls.liveByAgent(agentUserId);
    if (!call) throw new AppError(409, 'CALL_NOT_LIVE', 'Aucun appel en cours.');
    await this.ng.command('subscribe answer', { 'call-id': call.callId, 'to-tag': subscriptionTag, sdp });
  }

  async stopWhisper(attemptId: string): Promise<void> {
    await this.redis.del(this.whisperKey(attemptId));
  }
}
