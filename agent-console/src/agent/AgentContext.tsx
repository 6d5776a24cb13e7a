import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { useSoftphone, type SipCredentials, type UseSoftphone } from '../softphone/index.ts';
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
}

const Ctx = createContext<AgentContextValue | null>(null);
const UNCHECKED: DeviceCheck = { done: false, microphoneId: null, speakerId: null, heard: null, micError: false };

/** The trainee's live workstation: server link, softphone, headset check, help request. */
export function AgentProvider({ children }: { children: ReactNode }) {
  const { api } = useCurrentSession();
  const [help, setHelp] = useState<HelpState>({ status: 'none', acknowledgedBy: null });
  const onExtra = useCallback((event: string, payload: unknown) => {
    if (event === 'help:update') setHelp(payload as HelpState);
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
  const setDevice = useCallback((patch: Partial<DeviceCheck>) => setDeviceState((d) => ({ ...d, ...patch })), []);
  const offset = live.clockOffsetMs;
  const serverNow = useCallback(() => Date.now() + offset, [offset]);
  const value = useMemo(() => ({ live, actions, phone, device, setDevice, serverNow, help, setHelp }), [live, actions, phone, device, setDevice, serverNow, help]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAgent(): AgentContextValue {
  const v = useContext(Ctx);
  if (!v) throw new Error('useAgent outside AgentProvider');
  return v;
}
