import { randomBytes } from 'node:crypto';
import type { NgClient } from '../telephony/ng/client.ts';
import type { SipCallRepository } from '../telephony/repository.ts';
import { AppError, conflict, notFound } from '../../lib/errors.ts';
import type { Realtime } from '../../plugins/realtime.ts';
import type { SessionStart, SupervisionSessions } from './sessions.ts';

export type Participant = 'agent' | 'customer';

export interface ListenOffer {
  participant: Participant;
  /** rtpengine's tag for this subscription: echo it with the answer. */
  subscriptionTag: string;
  sdp: string;
}

export type Supervisor = SessionStart['supervisor'];

/**
 * Live listening through rtpengine subscriptions: one WebRTC subscription per participant
 * (Chromium rejects one SDP carrying both legs' duplicate a=mid), sendonly from rtpengine.
 */
const WEBRTC = { 'transport-protocol': 'UDP/TLS/RTP/SAVPF', ICE: 'force', 'ICE-lite': 'forward', 'rtcp-mux': ['require'], SDES: ['off'] };

/** Listen and whisper on a live call; each is a supervision session tied to the trainer's /supervisor socket. */
export class SupervisionMedia {
  constructor(
    private readonly calls: SipCallRepository,
    private readonly ng: NgClient,
    private readonly sessions: SupervisionSessions,
    private readonly realtime: Realtime,
  ) {}

  private async answeredCall(attemptId: string) {
    const call = await this.calls.liveByAttempt(attemptId);
    if (!call?.answeredAt || !call.fromTag || !call.toTag) throw new AppError(409, 'CALL_NOT_LIVE', 'Aucun appel en cours à écouter pour cette tentative.');
    return call;
  }

  /** The session follows the trainer's live socket: it must be one of this trainer's, on any instance. */
  private async checkSocket(socketId: string, userId: string): Promise<void> {
    const sockets = await this.realtime.supervisors.in(socketId).fetchSockets();
    if (!sockets.some((s) => s.id === socketId && s.data.principal?.userId === userId)) {
      throw new AppError(409, 'SOCKET_GONE', 'Connexion temps réel de la console introuvable : rechargez la page.');
    }
  }

  async listen(attemptId: string, supervisor: Supervisor, socketId: string): Promise<{ sessionId: string; offers: ListenOffer[] }> {
    const call = await this.answeredCall(attemptId);
    await this.checkSocket(socketId, supervisor.userId);
    const offers: ListenOffer[] = [];
    try {
      for (const [participant, tag] of [['agent', call.fromTag], ['customer', call.toTag]] as const) {
        const reply = await this.ng.command('subscribe request', { 'call-id': call.callId, 'from-tag': tag!, ...WEBRTC, flags: ['strict-source'] });
        offers.push({ participant, subscriptionTag: String(reply['to-tag']), sdp: String(reply.sdp) });
      }
      const session = await this.sessions.start({
        attemptId,
        callId: call.callId,
        agentUserId: call.agentUserId,
        kind: 'listen',
        socketId,
        mediaTags: offers.map((o) => o.subscriptionTag),
        supervisor,
      });
      return { sessionId: session.sessionId, offers };
    } catch (err) {
      for (const o of offers) await this.ng.command('unsubscribe', { 'call-id': call.callId, 'to-tag': o.subscriptionTag }).catch(() => undefined);
      throw err;
    }
  }

  /** The browser's answer to one of its own listen offers. */
  async answer(sessionId: string, supervisorUserId: string, subscriptionTag: string, sdp: string): Promise<void> {
    const session = await this.sessions.own(sessionId, supervisorUserId);
    if (!session || session.kind !== 'listen' || !session.mediaTags.includes(subscriptionTag)) throw notFound('Écoute');
    await this.ng.command('subscribe answer', { 'call-id': session.callId, 'to-tag': subscriptionTag, sdp, flags: ['allow-transcoding'] });
  }

  async stop(sessionId: string, supervisorUserId: string, ip: string): Promise<void> {
    const session = await this.sessions.own(sessionId, supervisorUserId);
    if (!session) throw notFound('Session de supervision');
    await this.sessions.stop(session.id, ip);
  }

  /**
   * Whisper, trainer side: the trainer's microphone is published into the call as a monologue of
   * its own (ng `publish`), which no call leg forwards — the customer cannot hear it. The trainee
   * is told at once (`supervision:whisper`) and subscribes.
   */
  async whisper(attemptId: string, supervisor: Supervisor, socketId: string, trainerSdp: string): Promise<{ sessionId: string; sdp: string }> {
    const call = await this.answeredCall(attemptId);
    await this.checkSocket(socketId, supervisor.userId);
    if (await this.sessions.whisperOf(call.callId)) throw conflict('WHISPER_BUSY', 'Un autre formateur chuchote déjà à ce conseiller.');
    const whisperTag = `whisper-${randomBytes(6).toString('hex')}`;
    const reply = await this.ng.command('publish', { 'call-id': call.callId, 'from-tag': whisperTag, sdp: trainerSdp, ...WEBRTC });
    const session = await this.sessions.start({ attemptId, callId: call.callId, agentUserId: call.agentUserId, kind: 'whisper', socketId, mediaTags: [whisperTag], supervisor });
    return { sessionId: session.sessionId, sdp: String(reply.sdp) };
  }

  /** Whisper, trainee side: a receive-only subscription to the trainer's monologue of its own call. */
  async whisperFeed(agentUserId: string): Promise<{ subscriptionTag: string; sdp: string } | null> {
    const call = await this.calls.liveByAgent(agentUserId);
    if (!call?.answeredAt) return null;
    const whisper = await this.sessions.whisperOf(call.callId);
    if (!whisper) return null;
    const reply = await this.ng.command('subscribe request', { 'call-id': call.callId, 'from-tag': whisper.mediaTags[0]!, ...WEBRTC });
    return { subscriptionTag: String(reply['to-tag']), sdp: String(reply.sdp) };
  }

  async whisperAnswer(agentUserId: string, subscriptionTag: string, sdp: string): Promise<void> {
    const call = await this.calls.liveByAgent(agentUserId);
    if (!call) throw new AppError(409, 'CALL_NOT_LIVE', 'Aucun appel en cours.');
    await this.ng.command('subscribe answer', { 'call-id': call.callId, 'to-tag': subscriptionTag, sdp });
  }

  /** What a (re)connecting trainee console is told: the whisper going on in its call, if any. */
  async whisperNotice(agentUserId: string) {
    const call = await this.calls.liveByAgent(agentUserId);
    const whisper = call ? await this.sessions.whisperOf(call.callId) : undefined;
    if (!call || !whisper) return null;
    const [session] = (await this.sessions.list(call.callId)).filter((s) => s.sessionId === whisper.id);
    return { attemptId: call.attemptId, active: true, by: session?.supervisorName ?? null };
  }
}
