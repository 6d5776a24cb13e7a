import { useEffect, useState } from 'react';
import { healthSignature, type AgentHealth, type CallAudio, type SipRegistration } from '@passerelle/shared/agent-health';
import type { SoftphoneHealth, SoftphoneState } from '../kit/softphone/index.ts';

/** Call audio is sampled this often during a call. */
const CALL_SAMPLE_MS = 5000;

const SIP: Record<SoftphoneHealth, SipRegistration> = { ready: 'registered', connecting: 'connecting', reconnecting: 'connecting', failed: 'failed', stopped: 'stopped' };

/** The compact record the floor shows (no device name: nothing personal leaves the seat). */
export function toAgentHealth(phone: SoftphoneState, micMissing: boolean, call: CallAudio | null): AgentHealth {
  const inCall = phone.call.status === 'in_call';
  return {
    sip: SIP[phone.health],
    mic: micMissing || phone.micError ? 'missing' : inCall && phone.call.muted ? 'muted' : 'ok',
    call: inCall ? call : null,
  };
}

/** The console's health, with the call's audio sampled every few seconds while a call is up. */
export function useAgentHealth(phone: { state: SoftphoneState; callAudio: () => Promise<CallAudio | null> }, micMissing: boolean): AgentHealth {
  const [call, setCall] = useState<CallAudio | null>(null);
  const inCall = phone.state.call.status === 'in_call';
  const { callAudio } = phone;
  useEffect(() => {
    if (!inCall) return setCall(null);
    let live = true;
    const sample = () => void callAudio().then((c) => live && setCall(c), () => undefined);
    const timer = window.setInterval(sample, CALL_SAMPLE_MS);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [inCall, callAudio]);
  return toAgentHealth(phone.state, micMissing, call);
}

/** Sends the health at once when its signature changes, and again with every heartbeat. */
export class HealthReporter {
  private latest: AgentHealth | null = null;
  private sent: string | null = null;

  constructor(private readonly send: (h: AgentHealth) => boolean) {}

  update(health: AgentHealth): void {
    this.latest = health;
    if (healthSignature(health) !== this.sent) this.beat();
  }

  /** Heartbeat or reconnection: the server's record is refreshed (it expires otherwise). */
  beat(): void {
    if (this.latest && this.send(this.latest)) this.sent = healthSignature(this.latest);
  }
}
