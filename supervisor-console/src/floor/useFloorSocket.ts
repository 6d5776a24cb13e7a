import { useCallback, useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { PauseReason } from '@passerelle/shared/agent-state';
import type { AckResult, HelpRequest, SupervisorAlert, SupervisorClientToServer, SupervisorServerToClient } from '@passerelle/shared/events';
import { floorBatchSize, namespaces } from '@passerelle/shared/events';
import type { ApiClient } from '@kit/http.ts';
import { applyEvents, emptyFloor, type FloorEvent, type FloorState } from './floorState.ts';

type FloorSocket = Socket<SupervisorServerToClient, SupervisorClientToServer>;

export type Connection = 'connecting' | 'online' | 'offline';

export interface FloorSocketApi {
  state: FloorState;
  connection: Connection;
  alerts: SupervisorAlert[];
  /** Total changes applied since the page opened (batch items count one each; read by the floor benchmark). */
  applied: number;
  forcePause: (userId: string, reason: PauseReason) => Promise<AckResult>;
  forceLogout: (userId: string) => Promise<AckResult>;
  acknowledgeHelp: (userId: string) => Promise<void>;
  closeHelp: (userId: string) => Promise<void>;
  dismissAlert: (alert: SupervisorAlert) => void;
  /** This page's socket id: listen and whisper sessions live as long as it does. */
  socketId: () => string | null;
}

const MAX_ALERTS = 20;
const FLUSH_EVERY_MS = 250;

/**
 * The `/supervisor` socket: the snapshot replaces the state on every (re)connect; later events are
 * queued and applied together once per animation frame, so 200 trainees changing state stay smooth.
 */
export function useFloorSocket(api: ApiClient, onHelp?: (help: HelpRequest) => void, onSupervisionEnded?: (sessionId: string) => void): FloorSocketApi {
  const [state, setState] = useState<FloorState>(emptyFloor);
  const [connection, setConnection] = useState<Connection>('connecting');
  const [alerts, setAlerts] = useState<SupervisorAlert[]>([]);
  const [applied, setApplied] = useState(0);
  const socketRef = useRef<FloorSocket | null>(null);
  const onHelpRef = useRef(onHelp);
  onHelpRef.current = onHelp;
  const onEndedRef = useRef(onSupervisionEnded);
  onEndedRef.current = onSupervisionEnded;

  useEffect(() => {
    const queue: FloorEvent[] = [];
    let frame: number | null = null;
    let wait: number | null = null;
    let lastFlush = 0;
    const flush = () => {
      frame = null;
      lastFlush = performance.now();
      const batch = queue.splice(0);
      setState((s) => applyEvents(s, batch));
      setApplied((n) => n + batch.reduce((sum, e) => sum + (e.type === 'batch' ? floorBatchSize(e.batch) : 1), 0));
    };
    // At most FLUSH_EVERY_MS apart, on an animation frame: a busy floor (dozens of changes a
    // second) costs a few renders a second, not one per event or per frame.
    const schedule = () => {
      wait = null;
      // Background tabs get no animation frames: a timer keeps the state current.
      frame ??= document.hidden ? window.setTimeout(flush, 0) : requestAnimationFrame(flush);
    };
    const push = (e: FloorEvent) => {
      queue.push(e);
      if (frame !== null || wait !== null) return;
      const due = lastFlush + FLUSH_EVERY_MS - performance.now();
      if (due > 0) wait = window.setTimeout(schedule, due);
      else schedule();
    };
    const socket: FloorSocket = io(namespaces.supervisor, { transports: ['websocket'], withCredentials: true });
    socketRef.current = socket;
    socket.on('connect', () => setConnection('online'));
    socket.on('disconnect', () => setConnection('offline'));
    socket.on('connect_error', () => setConnection('offline'));
    socket.on('snapshot', (snapshot) => {
      // Events queued before the snapshot are older than it.
      queue.length = 0;
      lastFlush = 0;
      push({ type: 'snapshot', snapshot, receivedAt: Date.now() });
      // Help requests are not in the snapshot: the list replaces them on every (re)connect.
      api
        .get<{ items: HelpRequest[] }>('/api/help-requests')
        .then((r) => push({ type: 'help:list', items: r.items }))
        .catch(() => undefined);
    });
    // The server already coalesces floor changes (one batch per ~50 ms); they still wait for the next render.
    socket.on('floor:batch', (batch) => push({ type: 'batch', batch }));
    socket.on('alert', (alert) => setAlerts((list) => [alert, ...list].slice(0, MAX_ALERTS)));
    socket.on('help:request', (help) => {
      push({ type: 'help', help });
      if (help.status === 'open') onHelpRef.current?.(help);
    });
    socket.on('help:closed', (p) => push({ type: 'help:closed', userId: p.userId }));
    socket.on('agent:health', (p) => push({ type: 'health', userId: p.userId, health: p.health }));
    socket.on('supervision:started', (session) => push({ type: 'supervision', session }));
    socket.on('supervision:ended', (p) => {
      push({ type: 'supervision:ended', sessionId: p.sessionId });
      onEndedRef.current?.(p.sessionId);
    });
    return () => {
      if (frame !== null) {
        cancelAnimationFrame(frame);
        clearTimeout(frame);
      }
      if (wait !== null) clearTimeout(wait);
      socket.removeAllListeners();
      socket.disconnect();
      socketRef.current = null;
    };
  }, [api]);

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
  const acknowledgeHelp = useCallback(async (userId: string) => {
    await api.post(`/api/help-requests/${userId}/acknowledge`);
  }, [api]);
  const closeHelp = useCallback(async (userId: string) => {
    await api.post(`/api/help-requests/${userId}/close`);
  }, [api]);
  const dismissAlert = useCallback((alert: SupervisorAlert) => setAlerts((list) => list.filter((a) => a !== alert)), []);

  const socketId = useCallback(() => (socketRef.current?.connected ? (socketRef.current.id ?? null) : null), []);

  return { state, connection, alerts, applied, forcePause, forceLogout, acknowledgeHelp, closeHelp, dismissAlert, socketId };
}
