import { UA, WebSocketInterface } from 'jssip';
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { CallAudio } from '@passerelle/shared/agent-health';
import { failureMessage, registrationMessage } from './messages.ts';

/** What POST /api/telephony/credentials returns. */
export interface SipCredentials {
  username: string;
  password: string;
  uri: string;
  domain: string;
  wsUrl: string;
  expiresAt: string;
}

/** Health of the line: the console shows it and only offers calls when `ready`. */
export type SoftphoneHealth = 'stopped' | 'connecting' | 'ready' | 'reconnecting' | 'failed';
/** `incoming`: a call rings on this line (trainers' line, practice calls) until answer() or hangup(). */
export type CallStatus = 'idle' | 'calling' | 'ringing' | 'incoming' | 'in_call' | 'ended';

export interface SoftphoneState {
  health: SoftphoneHealth;
  /** French explanation when health is failed or the last call failed. */
  error: string | null;
  call: {
    status: CallStatus;
    muted: boolean;
    held: boolean;
    answeredAt: number | null;
    /** SIP code of a failed call, for the console's own wording if it wants one. */
    sipCode: number | null;
  };
  /** The trainer is whispering (the trainee hears them, the customer does not). */
  whisper: boolean;
  /** Microphone level, 0..1 (updated ~10 times per second while the line is up). */
  micLevel: number;
  microphoneId: string | null;
  /** No microphone, or access refused. */
  micError: boolean;
}

export interface SoftphoneOptions {
  fetchCredentials: () => Promise<SipCredentials>;
  /** Where the remote audio plays (created if absent). */
  audioElement?: HTMLAudioElement;
  /**
   * Trainers' line: an incoming call (a trainee dialling a practice token) rings and answer()
   * takes it. Agents' lines refuse every incoming call (the proxy never routes one to them).
   */
  acceptIncoming?: boolean;
}

const initialCall: SoftphoneState['call'] = { status: 'idle', muted: false, held: false, answeredAt: null, sipCode: null };

/** What the line may dial: a campaign call token or a practice token, nothing else. */
const DIALABLE = /^(tk|pt)_[0-9A-Za-z]{16,64}$/;

/**
 * The SIP phone of both consoles (JsSIP over WebSocket): register on connect and again after a
 * network loss, dial call tokens (trainees), answer practice calls (trainers), hang up, mute,
 * hold, microphone choice and level. Framework-free; the React side is useSoftphone().
 */
export class Softphone {
  private ua: UA | null = null;
  private session: RTCSession | null = null;
  private creds: SipCredentials | null = null;
  private listeners = new Set<(s: SoftphoneState) => void>();
  private meter: { ctx: AudioContext; timer: number; stream: MediaStream } | null = null;
  private refreshTimer: number | undefined;
  private readonly audio: HTMLAudioElement;
  private whisperPc: RTCPeerConnection | null = null;
  private readonly whisperAudio: HTMLAudioElement;
  state: SoftphoneState = { health: 'stopped', error: null, call: initialCall, whisper: false, micLevel: 0, microphoneId: null, micError: false };

  constructor(private readonly options: SoftphoneOptions) {
    this.audio = options.audioElement ?? Object.assign(document.createElement('audio'), { autoplay: true });
    this.whisperAudio = Object.assign(document.createElement('audio'), { autoplay: true });
  }

  subscribe(listener: (s: SoftphoneState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(patch: Partial<SoftphoneState>, call?: Partial<SoftphoneState['call']>): void {
    this.state = { ...this.state, ...patch, call: call ? { ...this.state.call, ...call } : this.state.call };
    for (const l of this.listeners) l(this.state);
  }

  async start(): Promise<void> {
    if (this.ua) return;
    this.set({ health: 'connecting', error: null });
    try {
      this.creds = await this.options.fetchCredentials();
    } catch {
      this.set({ health: 'failed', error: 'Impossible d’obtenir les identifiants téléphoniques. Rechargez la page.' });
      return;
    }
    const creds = this.creds;
    const ua = new UA({
      sockets: [new WebSocketInterface(creds.wsUrl)],
      uri: creds.uri,
      authorization_user: creds.username,
      password: creds.password,
      realm: creds.domain,
      register: false,
      register_expires: 300,
      session_timers: false,
      connection_recovery_min_interval: 2,
      connection_recovery_max_interval: 10,
      user_agent: 'Passerelle',
    });
    // Register once the socket is up, and again after every reconnection.
    ua.on('connected', () => ua.register());
    ua.on('disconnected', () => {
      if (this.ua === ua) this.set({ health: 'reconnecting' });
    });
    ua.on('registered', () => this.set({ health: 'ready', error: null }));
    ua.on('unregistered', () => {
      if (this.ua === ua) this.set({ health: 'connecting' });
    });
    ua.on('registrationFailed', (e) => {
      const code = (e.response as { status_code?: number } | undefined)?.status_code;
      this.set({ health: 'failed', error: registrationMessage(e.cause, code) });
    });
    ua.on('newRTCSession', (e: { originator: string; session: RTCSession }) => {
      if (e.originator === 'remote') this.incoming(e.session);
    });
    this.ua = ua;
    window.addEventListener('online', this.onOnline);
    ua.start();
    this.scheduleRefresh();
    void this.startMeter();
  }

  /** Back online: JsSIP retries on its own; nudge it so the agent does not wait for the backoff. */
  private onOnline = () => {
    if (this.ua && !this.ua.isConnected()) {
      this.ua.stop();
      this.ua.start();
    }
  };

  /** New credentials a few minutes before expiry: restart the line when no call is up. */
  private scheduleRefresh(): void {
    window.clearTimeout(this.refreshTimer);
    if (!this.creds) return;
    const ms = Math.max(60_000, new Date(this.creds.expiresAt).getTime() - Date.now() - 5 * 60_000);
    this.refreshTimer = window.setTimeout(() => {
      if (this.session) return this.scheduleRefresh();
      void this.stop().then(() => this.start());
    }, ms);
  }

  async stop(): Promise<void> {
    window.clearTimeout(this.refreshTimer);
    window.removeEventListener('online', this.onOnline);
    this.session?.terminate();
    this.session = null;
    const ua = this.ua;
    this.ua = null;
    ua?.stop();
    this.stopMeter();
    this.leaveWhisper();
    this.set({ health: 'stopped', micLevel: 0 }, initialCall);
  }

  private media() {
    const audio: MediaTrackConstraints | boolean = this.state.microphoneId ? { deviceId: { exact: this.state.microphoneId } } : true;
    return { mediaConstraints: { audio, video: false }, pcConfig: { iceServers: [] } };
  }

  /** Plays the far end: rtpengine sends no msid, so e.streams can be empty (build the stream from the track). */
  private attachRemote = (pc: RTCPeerConnection): void => {
    pc.addEventListener('track', (ev) => {
      this.audio.srcObject = ev.streams[0] ?? new MediaStream([ev.track]);
      void this.audio.play().catch(() => undefined);
    });
  };

  /** Dials a call token or a practice token (the only things a line can dial). */
  call(token: string): void {
    if (!this.ua || !this.creds || this.state.health !== 'ready') throw new Error('La ligne téléphonique n’est pas prête.');
    if (this.session) throw new Error('Un appel est déjà en cours.');
    if (!DIALABLE.test(token)) throw new Error('Jeton d’appel invalide.');
    this.set({ error: null }, { ...initialCall, status: 'calling' });
    const session = this.ua.call(`sip:${token}@${this.creds.domain}`, {
      ...this.media(),
      // Fired inside call(): attach remote audio now.
      eventHandlers: { peerconnection: (e: { peerconnection: RTCPeerConnection }) => this.attachRemote(e.peerconnection) },
    });
    this.session = session;
    session.on('progress', () => this.set({}, { status: 'ringing' }));
    this.follow(session);
  }

  /** A call for this line: rings on a trainer's line when free, refused otherwise. */
  private incoming(session: RTCSession): void {
    if (!this.options.acceptIncoming || this.session) {
      session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
      return;
    }
    this.session = session;
    session.on('peerconnection', (e: { peerconnection: RTCPeerConnection }) => this.attachRemote(e.peerconnection));
    this.set({ error: null }, { ...initialCall, status: 'incoming' });
    this.follow(session);
  }

  /** Takes the call ringing on this line (trainers: the trainee of a practice call). */
  answer(): void {
    if (this.session && this.state.call.status === 'incoming') this.session.answer(this.media());
  }

  private follow(session: RTCSession): void {
    session.on('accepted', () => this.set({}, { status: 'in_call', answeredAt: Date.now() }));
    session.on('hold', () => this.set({}, { held: true }));
    session.on('unhold', () => this.set({}, { held: false }));
    session.on('muted', () => this.set({}, { muted: true }));
    session.on('unmuted', () => this.set({}, { muted: false }));
    session.on('failed', (e) => {
      const code = (e.message as { status_code?: number } | undefined)?.status_code;
      this.session = null;
      const cancelledByMe = e.originator === 'local';
      this.set({ error: cancelledByMe ? null : failureMessage(e.cause, code) }, { status: 'ended', sipCode: code ?? null });
    });
    session.on('ended', () => {
      this.session = null;
      this.leaveWhisper();
      this.set({}, { status: 'ended' });
    });
  }

  hangup(): void {
    this.session?.terminate();
  }

  mute(on: boolean): void {
    if (!this.session) return;
    if (on) this.session.mute({ audio: true });
    else this.session.unmute({ audio: true });
  }

  hold(on: boolean): void {
    if (!this.session?.isEstablished()) return;
    if (on) this.session.hold();
    else this.session.unhold();
  }

  /**
   * Hears a trainer's whisper: a receive-only WebRTC connection to rtpengine, beside the call
   * (the console gets the offer from POST /api/telephony/whisper and posts the answer back).
   */
  async joinWhisper(offerSdp: string, sendAnswer: (sdp: string) => Promise<void>): Promise<void> {
    this.leaveWhisper();
    const pc = new RTCPeerConnection({ iceServers: [] });
    this.whisperPc = pc;
    pc.addEventListener('track', (ev) => {
      this.whisperAudio.srcObject = ev.streams[0] ?? new MediaStream([ev.track]);
      void this.whisperAudio.play().catch(() => undefined);
    });
    await pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    await pc.setLocalDescription(await pc.createAnswer());
    // No trickle towards rtpengine: send the answer once candidates are gathered.
    await new Promise<void>((resolve) => {
      if (pc.iceGatheringState === 'complete') return resolve();
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
      window.setTimeout(resolve, 2000);
    });
    await sendAnswer(pc.localDescription!.sdp);
    this.set({ whisper: true });
  }

  leaveWhisper(): void {
    this.whisperPc?.close();
    this.whisperPc = null;
    this.whisperAudio.srcObject = null;
    if (this.state.whisper) this.set({ whisper: false });
  }

  /** Bytes received from the trainer's whisper (tests, diagnostics). */
  async whisperBytes(): Promise<number> {
    let bytes = 0;
    (await this.whisperPc?.getStats())?.forEach((r: { type: string; bytesReceived?: number }) => {
      if (r.type === 'inbound-rtp') bytes += r.bytesReceived ?? 0;
    });
    return bytes;
  }

  /** Audio counters of the call in progress (call quality indicator, tests). */
  async stats(): Promise<{ bytesSent: number; bytesReceived: number; packetsLost: number } | null> {
    const pc = this.session?.connection as RTCPeerConnection | undefined;
    if (!pc) return null;
    const out = { bytesSent: 0, bytesReceived: 0, packetsLost: 0 };
    (await pc.getStats()).forEach((r: { type: string; kind?: string; bytesSent?: number; bytesReceived?: number; packetsLost?: number }) => {
      if (r.type === 'outbound-rtp' && r.kind === 'audio') out.bytesSent += r.bytesSent ?? 0;
      if (r.type === 'inbound-rtp' && r.kind === 'audio') {
        out.bytesReceived += r.bytesReceived ?? 0;
        out.packetsLost += r.packetsLost ?? 0;
      }
    });
    return out;
  }

  private lastReceived = { lost: 0, received: 0 };

  /** Audio figures of the call in progress since the previous sample (the floor's health column). */
  async callAudio(): Promise<CallAudio | null> {
    const pc = this.session?.connection as RTCPeerConnection | undefined;
    if (!pc || this.state.call.status !== 'in_call') {
      this.lastReceived = { lost: 0, received: 0 };
      return null;
    }
    let lost = 0;
    let received = 0;
    let jitter = 0;
    let rtt: number | null = null;
    let level: number | null = null;
    type Report = { type: string; kind?: string; packetsLost?: number; packetsReceived?: number; jitter?: number; roundTripTime?: number; audioLevel?: number };
    (await pc.getStats()).forEach((r: Report) => {
      if (r.kind !== 'audio') return;
      if (r.type === 'inbound-rtp') {
        lost += r.packetsLost ?? 0;
        received += r.packetsReceived ?? 0;
        jitter = Math.max(jitter, r.jitter ?? 0);
      }
      if (r.type === 'remote-inbound-rtp' && r.roundTripTime !== undefined) rtt = r.roundTripTime;
      if (r.type === 'media-source' && r.audioLevel !== undefined) level = r.audioLevel;
    });
    const lostNow = Math.max(0, lost - this.lastReceived.lost);
    const receivedNow = Math.max(0, received - this.lastReceived.received);
    this.lastReceived = { lost, received };
    const rttSeconds = rtt as number | null;
    return {
      packetLossPct: lostNow + receivedNow ? (100 * lostNow) / (lostNow + receivedNow) : 0,
      jitterMs: jitter * 1000,
      rttMs: rttSeconds === null ? null : rttSeconds * 1000,
      micLevel: level,
    };
  }

  async microphones(): Promise<MediaDeviceInfo[]> {
    const devices = await navigator.mediaDevices.enumerateDevices();
    return devices.filter((d) => d.kind === 'audioinput');
  }

  /** Chooses the microphone for the next calls (and the level meter). */
  async selectMicrophone(deviceId: string | null): Promise<void> {
    this.set({ microphoneId: deviceId });
    this.stopMeter();
    await this.startMeter();
  }

  private async startMeter(): Promise<void> {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: this.state.microphoneId ? { deviceId: { exact: this.state.microphoneId } } : true });
      const ctx = new AudioContext();
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 512;
      ctx.createMediaStreamSource(stream).connect(analyser);
      const buf = new Float32Array(analyser.fftSize);
      const timer = window.setInterval(() => {
        analyser.getFloatTimeDomainData(buf);
        let sum = 0;
        for (const v of buf) sum += v * v;
        this.set({ micLevel: Math.min(1, Math.sqrt(sum / buf.length) * 4) });
      }, 100);
      this.meter = { ctx, timer, stream };
      if (this.state.micError) this.set({ micError: false });
    } catch {
      this.set({ micError: true, error: failureMessage('User Denied Media Access') });
    }
  }

  private stopMeter(): void {
    if (!this.meter) return;
    window.clearInterval(this.meter.timer);
    for (const t of this.meter.stream.getTracks()) t.stop();
    void this.meter.ctx.close();
    this.meter = null;
  }
}
