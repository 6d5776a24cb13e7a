import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { PracticeInvitation, WhisperNotice } from '@passerelle/shared/events';
import { useSoftphone, type SipCredentials, type UseSoftphone } from '../kit/softphone/index.ts';
import { useSupervisorHangup } from '../features/call/useSupervisorHangup.ts';
import { useWhisperFeed } from '../features/call/useWhisperFeed.ts';
import { useCurrentSession } from '../kit/session.tsx';
import { useAgentHealth } from './health.ts';
import { useAgentSocket, type AgentActions } from './useAgentSocket.ts';
import type { LiveState } from './live.ts';

/** Result of the start-of-shift headset check (device ids only: nothing personal). */
export interface DeviceCheck {
  done: boolean;
  microphoneId: string | null;
  speakerId: string | null;
  /** The trainee heard the test tone. */
  heard: boolean | null;
  micError: boolean;
}

export interface HelpState {
  status: 'none' | 'open' | 'acknowledged';
  acknowledgedBy: string | null;
}

interface AgentContextValue {
  live: LiveState;
  actions: AgentActions;
  phone: UseSoftphone;
  device: DeviceCheck;
  setDevice: (patch: Partial<DeviceCheck>) => void;
  /** Server time now (ms), for timers counting from server instants. */
  serverNow: () => number;
  help: HelpState;
  setHelp: (h: HelpState) => void;
  /** A trainer whispering into the current call (the customer does not hear them). */
  whisper: WhisperNotice | null;
  /** A trainer's pending practice call invitation. */
  practice: PracticeInvitation | null;
  setPractice: (p: PracticeInvitation | null) => void;
}

const Ctx = createContext<AgentContextValue | null>(null);
const UNCHECKED: DeviceCheck = { done: false, microphoneId: null, speakerId: null, heard: null, micError: false };

/** The trainee's live workstation: server link, softphone, headset check, help request, practice invitation. */
export function AgentProvider({ children }: { children: ReactNode }) {
  const { api } = useCurrentSession();
  const [help, setHelp] = useState<HelpState>({ status: 'none', acknowledgedBy: null });
  const [whisperNotice, setWhisper] = useState<WhisperNotice | null>(null);
  const [practice, setPractice] = useState<PracticeInvitation | null>(null);
  // The socket's listener is set up before the softphone exists: it reaches the hang-up through a ref.
  const hangupRef = useRef<(attemptId: string) => void>(() => undefined);
  const onExtra = useCallback((event: string, payload: unknown) => {
    if (event === 'help:update') setHelp(payload as HelpState);
    if (event === 'supervision:hangup') hangupRef.current((payload as { attemptId: string }).attemptId);
    if (event === 'supervision:whisper') setWhisper(payload as WhisperNotice);
    if (event === 'practice:invite') setPractice(payload as PracticeInvitation);
    if (event === 'practice:closed') setPractice((p) => (p?.practiceCallId === (payload as { practiceCallId: string }).practiceCallId ? null : p));
  }, []);
  const fetchCredentials = useCallback(() => api.post<SipCredentials>('/api/telephony/credentials'), [api]);
  const phone = useSoftphone(fetchCredentials);
  // In memory only, like everything else here: the console keeps nothing in browser storage.
  const [device, setDeviceState] = useState(UNCHECKED);
  const health = useAgentHealth(phone, device.micError);
  const { live, actions } = useAgentSocket({
    // The session is gone (logout elsewhere, expiry): asking the server lands on the login page.
    onUnauthenticated: () => void api.get('/api/auth/session').catch(() => undefined),
    onExtra,
    health,
  });
  // A notice for an attempt that is no longer in hand is stale (the call ended meanwhile).
  const whisper = whisperNotice?.active && whisperNotice.attemptId === live.call?.attemptId ? whisperNotice : null;
  const onSupervisorHangup = useSupervisorHangup(phone, live.call?.attemptId);
  useEffect(() => {
    hangupRef.current = onSupervisorHangup;
  }, [onSupervisorHangup]);
  useWhisperFeed(api, phone, whisper);
  const setDevice = useCallback((patch: Partial<DeviceCheck>) => setDeviceState((d) => ({ ...d, ...patch })), []);
  const offset = live.clockOffsetMs;
  const serverNow = useCallback(() => Date.now() + offset, [offset]);
  const value = useMemo(
    () => ({ live, actions, phone, device, setDevice, serverNow, help, setHelp, whisper, practice, setPractice }),
    [live, actions, phone, device, setDevice, serverNow, help, whisper, practice],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAgent(): AgentContextValue {
  const v = useContext(Ctx);
  if (!v) throw new Error('useAgent outside AgentProvider');
  return v;
}
