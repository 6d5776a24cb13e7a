import { useEffect, useMemo, useState } from 'react';
import type { CallAudio } from '@passerelle/shared/agent-health';
import { Softphone, type SipCredentials, type SoftphoneState } from './softphone.ts';

export interface UseSoftphone {
  state: SoftphoneState;
  call: (token: string) => void;
  /** Takes an incoming call (trainers' line, practice calls). */
  answer: () => void;
  hangup: () => void;
  mute: (on: boolean) => void;
  hold: (on: boolean) => void;
  selectMicrophone: (deviceId: string | null) => Promise<void>;
  microphones: () => Promise<MediaDeviceInfo[]>;
  joinWhisper: (offerSdp: string, sendAnswer: (sdp: string) => Promise<void>) => Promise<void>;
  leaveWhisper: () => void;
  callAudio: () => Promise<CallAudio | null>;
  /** Audio counters of the call in progress (quality indicator, tests). */
  stats: () => Promise<{ bytesSent: number; bytesReceived: number; packetsLost: number } | null>;
}

/**
 * A console's phone: starts the line when mounted (credentials from the server), stops it when
 * unmounted. `enabled` false keeps it stopped (e.g. before login); `acceptIncoming` for the
 * trainers' line (practice calls).
 */
export function useSoftphone(fetchCredentials: () => Promise<SipCredentials>, enabled = true, acceptIncoming = false): UseSoftphone {
  const phone = useMemo(() => new Softphone({ fetchCredentials, acceptIncoming }), [fetchCredentials, acceptIncoming]);
  const [state, setState] = useState(phone.state);
  useEffect(() => {
    const off = phone.subscribe(setState);
    if (enabled) void phone.start();
    return () => {
      off();
      void phone.stop();
    };
  }, [phone, enabled]);
  return useMemo(
    () => ({
      state,
      call: (token: string) => phone.call(token),
      answer: () => phone.answer(),
      hangup: () => phone.hangup(),
      mute: (on: boolean) => phone.mute(on),
      hold: (on: boolean) => phone.hold(on),
      selectMicrophone: (id: string | null) => phone.selectMicrophone(id),
      microphones: () => phone.microphones(),
      joinWhisper: (offerSdp: string, sendAnswer: (sdp: string) => Promise<void>) => phone.joinWhisper(offerSdp, sendAnswer),
      leaveWhisper: () => phone.leaveWhisper(),
      callAudio: () => phone.callAudio(),
      stats: () => phone.stats(),
    }),
    [phone, state],
  );
}
