/**
 * A trainee's phone and headset as its console sees them, reported to the server and shown on the
 * floor. Nothing personal: no device name or id, no number, only states and rounded figures.
 */
export type SipRegistration = 'registered' | 'connecting' | 'failed' | 'stopped';
/** `muted`: muted during a call; `missing`: no microphone, or access refused. */
export type MicState = 'ok' | 'muted' | 'missing';

/** Audio of the call in progress (WebRTC statistics over the last few seconds). */
export interface CallAudio {
  /** Received packets lost, percent (0–100). */
  packetLossPct: number;
  jitterMs: number;
  /** Round trip to the media server, when the browser knows it. */
  rttMs: number | null;
  /** Level of the trainee's microphone in the call, 0–1. */
  micLevel: number | null;
}

export interface AgentHealth {
  sip: SipRegistration;
  mic: MicState;
  call: CallAudio | null;
}

export type CallQuality = 'good' | 'fair' | 'poor';

/** Thresholds of usual VoIP guidance: beyond them the customer hears gaps or delay. */
export function callQuality(c: CallAudio): CallQuality {
  if (c.packetLossPct >= 5 || c.jitterMs >= 60 || (c.rttMs ?? 0) >= 500) return 'poor';
  if (c.packetLossPct >= 1 || c.jitterMs >= 30 || (c.rttMs ?? 0) >= 300) return 'fair';
  return 'good';
}

/**
 * What a trainer would notice: the console reports at once when it changes (otherwise with the
 * heartbeat), and the server tells supervisors only then.
 */
export function healthSignature(h: AgentHealth): string {
  const c = h.call;
  return [h.sip, h.mic, c ? `${callQuality(c)}:${Math.round(c.packetLossPct)}` : '-'].join('|');
}
