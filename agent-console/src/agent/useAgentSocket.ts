import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { PauseReason } from '@passerelle/shared/agent-state';
import type { DispositionInput } from '@passerelle/shared/api/campaign-engine';
import type { AgentHealth } from '@passerelle/shared/agent-health';
import type { AckResult, AgentClientToServer, AgentServerToClient } from '@passerelle/shared/events';
import { namespaces } from '@passerelle/shared/events';
import { HealthReporter } from './health.ts';
import { initialLive, liveReducer, type LiveState } from './live.ts';

type AgentSocket = Socket<AgentServerToClient, AgentClientToServer>;

const HEARTBEAT_MS = 10_000;
const ACK_TIMEOUT_MS = 8_000;

export interface AgentActions {
  ready: () => Promise<AckResult>;
  pause: (reason: PauseReason) => Promise<AckResult>;
  skip: (attemptId: string, reason: string) => Promise<AckResult>;
  dispose: (attemptId: string, disposition: DispositionInput) => Promise<AckResult>;
  /** Ends the call through the server when this page has no line to it any more (reloaded mid-call). */
  hangupLostLine: (attemptId: string) => Promise<AckResult>;
}

/** Extra events outside the dialer's own state (help requests, supervision notices, practice calls). */
export type ExtraListener = (event: string, payload: unknown) => void;

const offline: AckResult = { ok: false, code: 'OFFLINE', message: 'Pas de liaison avec le serveur : réessayez dans un instant.' };

/**
 * The trainee's live link (socket.io, namespace /agent, session cookie). Reconnects by itself,
 * also after the server closed it (restart), and asks nothing of the page: every (re)connection
 * brings a snapshot that replaces the console's state.
 */
export function useAgentSocket(options: { onUnauthenticated: () => void; onExtra?: ExtraListener; health?: AgentHealth }): { live: LiveState; actions: AgentActions } {
  const [live, dispatch] = useReducer(liveReducer, initialLive);
  const socketRef = useRef<AgentSocket | null>(null);
  const reporterRef = useRef<HealthReporter | null>(null);
  const optionsRef = useRef(options);
  optionsRef.current = options;

  useEffect(() => {
    const socket: AgentSocket = io(namespaces.agent, {
      path: '/socket.io',
      withCredentials: true,
      transports: ['websocket', 'polling'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    socketRef.current = socket;
    // Phone/headset health for the floor: on change, on every (re)connection and with the heartbeat.
    const reporter = new HealthReporter((h) => socket.connected && Boolean(socket.emit('health', h)));
    reporterRef.current = reporter;
    if (optionsRef.current.health) reporter.update(optionsRef.current.health);
    let restartTimer: number | undefined;
    socket.on('connect', () => {
      dispatch({ type: 'link', link: 'connected' });
      reporter.beat();
    });
    socket.on('disconnect', (reason) => {
      dispatch({ type: 'link', link: 'reconnecting' });
      // A server-side close (restart, session check) is not retried by socket.io itself.
      if (reason === 'io server disconnect') restartTimer = window.setTimeout(() => socket.connect(), 1000);
    });
    socket.on('connect_error', (err) => {
      dispatch({ type: 'link', link: 'reconnecting' });
      if (err.message === 'UNAUTHENTICATED') optionsRef.current.onUnauthenticated();
      if (!socket.active) restartTimer = window.setTimeout(() => socket.connect(), 3000);
    });
    socket.on('snapshot', (snapshot) => dispatch({ type: 'snapshot', snapshot, receivedAt: Date.now() }));
    socket.on('state', (view) => dispatch({ type: 'state', view }));
    socket.on('offer', (offer) => dispatch({ type: 'offer', offer }));
    socket.on('offer:withdrawn', (p) => dispatch({ type: 'withdrawn', ...p }));
    socket.on('call:progress', (progress) => dispatch({ type: 'progress', progress }));
    socket.on('attempt:closed', (p) => dispatch({ type: 'closed', ...p }));
    socket.on('notice', (p) => dispatch({ type: 'notice', ...p }));
    socket.onAny((event: string, payload: unknown) => {
      if (event.startsWith('help:') || event.startsWith('supervision:') || event.startsWith('practice:')) optionsRef.current.onExtra?.(event, payload);
    });
    const heartbeat = window.setInterval(() => {
      if (!socket.connected) return;
      socket.emit('heartbeat');
      reporter.beat();
    }, HEARTBEAT_MS);
    return () => {
      window.clearInterval(heartbeat);
      window.clearTimeout(restartTimer);
      socket.removeAllListeners();
      socket.disconnect();
      socketRef.current = null;
      reporterRef.current = null;
    };
  }, []);

  useEffect(() => {
    if (options.health) reporterRef.current?.update(options.health);
  }, [options.health]);

  const call = useCallback(<E extends 'ready' | 'pause' | 'offer:skip' | 'disposition' | 'call:hangup'>(event: E, ...args: unknown[]): Promise<AckResult> => {
    const socket = socketRef.current;
    if (!socket?.connected) return Promise.resolve(offline);
    return new Promise((resolve) => {
      (socket.timeout(ACK_TIMEOUT_MS) as unknown as { emit: (e: string, ...a: unknown[]) => void }).emit(event, ...args, (err: Error | null, result: AckResult) =>
        resolve(err ? offline : result),
      );
    });
  }, []);

  const actions = useMemo<AgentActions>(
    () => ({
      ready: () => call('ready'),
      pause: (reason) => call('pause', { reason }),
      skip: (attemptId, reason) => call('offer:skip', { attemptId, reason }),
      dispose: (attemptId, disposition) => call('disposition', { attemptId, disposition }),
      hangupLostLine: (attemptId) => call('call:hangup', { attemptId }),
    }),
    [call],
  );
  return { live, actions };
}
