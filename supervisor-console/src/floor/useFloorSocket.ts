import { useCallback, useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { PauseReason } from '@passerelle/shared/agent-state';
import type { AckResult, SupervisorAlert, SupervisorClientToServer, SupervisorServerToClient } from '@passerelle/shared/events';
import { namespaces } from '@passerelle/shared/events';
import { applyEvents, emptyFloor, type FloorEvent, type FloorState, type HelpRequest } from './floorState.ts';

/** Help-request events expected on `/supervisor` (see floorState.ts), on top of the shared contract. */
interface HelpServerToClient {
  'help:request': (p: HelpRequest) => void;
  'help:resolved': (p: { requestId: string }) => void;
}
interface HelpClientToServer {
  'help:ack': (p: { requestId: string }, ack: (r: AckResult) => void) => void;
}
type FloorSocket = Socket<SupervisorServerToClient & HelpServerToClient, SupervisorClientToServer & HelpClientToServer>;

export type Connection = 'connecting' | 'online' | 'offline';

export interface FloorSocketApi {
  state: FloorState;
  connection: Connection;
  alerts: SupervisorAlert[];
  /** Total events applied since the page opened (read by the floor benchmark). */
  applied: number;
  forcePause: (userId: string, reason: PauseReason) => Promise<AckResult>;
  forceLogout: (userId: string) => Promise<AckResult>;
  acknowledgeHelp: (requestId: string) => Promise<AckResult>;
  dismissAlert: (alert: SupervisorAlert) => void;
}

const MAX_ALERTS = 20;

/**
 * The `/supervisor` socket: the snapshot replaces the state on every (re)connect; later events are
 * queued and applied together once per animation frame, so 200 trainees changing state stay smooth.
 */
export function useFloorSocket(onHelp?: (help: HelpRequest) => void): FloorSocketApi {
  const [state, setState] = useState<FloorState>(emptyFloor);
  const [connection, setConnection] = useState<Connection>('connecting');
  const [alerts, setAlerts] = useState<SupervisorAlert[]>([]);
  const [applied, setApplied] = useState(0);
  const socketRef = useRef<FloorSocket | null>(null);
  const onHelpRef = useRef(onHelp);
  onHelpRef.current = onHelp;

  useEffect(() => {
    const queue: FloorEvent[] = [];
    let frame: number | null = null;
    const flush = () => {
      frame = null;
      const batch = queue.splice(0);
      setState((s) => applyEvents(s, batch));
      setApplied((n) => n + batch.length);
    };
    const push = (e: FloorEvent) => {
      queue.push(e);
      // Background tabs get no animation frames: fall back to a timer so the state stays current.
      frame ??= document.hidden ? window.setTimeout(flush, 250) : requestAnimationFrame(flush);
    };
    const socket: FloorSocket = io(namespaces.supervisor, { transports: ['websocket'], withCredentials: true });
    socketRef.current = socket;
    socket.on('connect', () => setConnection('online'));
    socket.on('disconnect', () => setConnection('offline'));
    socket.on('connect_error', () => setConnection('offline'));
    socket.on('snapshot', (snapshot) => {
      // Events queued before the snapshot are older than it.
      queue.length = 0;
      push({ type: 'snapshot', snapshot, receivedAt: Date.now() });
    });
    socket.on('agent:state', (agent) => push({ type: 'agent', agent }));
    socket.on('attempt:update', (attempt) => push({ type: 'attempt', attempt }));
    socket.on('attempt:closed', (p) => push({ type: 'attempt:closed', attemptId: p.attemptId }));
    socket.on('campaign:counters', (counters) => push({ type: 'counters', counters }));
    socket.on('alert', (alert) => setAlerts((list) => [alert, ...list].slice(0, MAX_ALERTS)));
    socket.on('help:request', (help) => {
      push({ type: 'help', help });
      if (!help.acknowledgedBy) onHelpRef.current?.(help);
    });
    socket.on('help:resolved', (p) => push({ type: 'help:resolved', requestId: p.requestId }));
    return () => {
      if (frame !== null) {
        cancelAnimationFrame(frame);
        clearTimeout(frame);
      }
      socket.removeAllListeners();
      socket.disconnect();
      socketRef.current = null;
    };
  }, []);

  const call = useCallback(
    (send: (s: FloorSocket, done: (r: AckResult) => void) => void) =>
      new Promise<AckResult>((resolve) => {
        const s = socketRef.current;
        if (!s?.connected) return resolve({ ok: false, code: 'OFFLINE', message: 'Connexion temps réel interrompue.' });
        send(s.timeout(10_000) as unknown as FloorSocket, resolve);
      }),
    [],
  );
  const timeoutAware = (done: (r: AckResult) => void) => (errOrResult: unknown, result?: AckResult) => {
    // With .timeout(), socket.io passes (err, result).
    if (errOrResult instanceof Error) done({ ok: false, code: 'TIMEOUT', message: 'Le serveur ne répond pas.' });
    else done(result ?? (errOrResult as AckResult));
  };

  const forcePause = useCallback(
    (userId: string, reason: PauseReason) => call((s, done) => s.emit('agent:force_pause', { userId, reason }, timeoutAware(done) as never)),
    [call],
  );
  const forceLogout = useCallback((userId: string) => call((s, done) => s.emit('agent:force_logout', { userId }, timeoutAware(done) as never)), [call]);
  const acknowledgeHelp = useCallback((requestId: string) => call((s, done) => s.emit('help:ack', { requestId }, timeoutAware(done) as never)), [call]);
  const dismissAlert = useCallback((alert: SupervisorAlert) => setAlerts((list) => list.filter((a) => a !== alert)), []);

  return { state, connection, alerts, applied, forcePause, forceLogout, acknowledgeHelp, dismissAlert };
}
