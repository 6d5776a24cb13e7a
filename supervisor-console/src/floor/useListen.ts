import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '@kit/http.ts';

interface ListenOffer {
  participant: 'agent' | 'customer';
  subscriptionTag: string;
  sdp: string;
}

interface Leg {
  participant: ListenOffer['participant'];
  tag: string;
  pc: RTCPeerConnection;
  audio: HTMLAudioElement;
}

export interface ListenSession {
  /** The server's supervision session (ended by the server when the call ends or the socket goes). */
  sessionId: string;
  attemptId: string;
  userId: string;
  /** The trainer's whisper session while whispering. */
  whisperSessionId: string | null;
  /** Audio bytes received so far on each leg (WebRTC inbound-rtp): proves the audio flows. */
  bytes: Record<string, number>;
}

type SinkAudio = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

const sessionUrl = (id: string) => `/api/supervision/sessions/${id}`;

/** Waits for ICE gathering (rtpengine is ICE-lite: host candidates are enough), at most 2 s. */
const gathered = (pc: RTCPeerConnection) =>
  new Promise<void>((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    const done = () => pc.iceGatheringState === 'complete' && resolve();
    pc.addEventListener('icegatheringstatechange', done);
    setTimeout(resolve, 2000);
  });

/**
 * Discreet listening to a live call: one receive-only WebRTC connection per participant, from the
 * telephony's rtpengine subscriptions. The output device is chosen with setSinkId. While
 * listening the trainer may whisper: the microphone is published into the call for the trainee
 * only. Both are server sessions tied to the floor's socket (`socketId`).
 */
export function useListen(api: ApiClient) {
  const [session, setSession] = useState<ListenSession | null>(null);
  const [sinkId, setSinkIdState] = useState('');
  const legs = useRef<Leg[]>([]);
  const current = useRef<string | null>(null);
  const sessionIds = useRef<{ listen: string | null; whisper: string | null }>({ listen: null, whisper: null });
  const whisperMedia = useRef<{ pc: RTCPeerConnection; mic: MediaStream } | null>(null);

  const closeWhisper = useCallback(() => {
    whisperMedia.current?.pc.close();
    whisperMedia.current?.mic.getTracks().forEach((t) => t.stop());
    whisperMedia.current = null;
    sessionIds.current.whisper = null;
  }, []);

  const teardown = useCallback(() => {
    for (const leg of legs.current) {
      leg.pc.close();
      leg.audio.srcObject = null;
    }
    legs.current = [];
    closeWhisper();
    sessionIds.current.listen = null;
    current.current = null;
    setSession(null);
  }, [closeWhisper]);

  const stop = useCallback(async () => {
    const ids = [sessionIds.current.whisper, sessionIds.current.listen].filter((id): id is string => !!id);
    teardown();
    await Promise.all(ids.map((id) => api.delete(sessionUrl(id)).catch(() => undefined)));
  }, [api, teardown]);

  /** The server ended one of this page's sessions (call over, socket lost): let go locally. */
  const ended = useCallback(
    (sessionId: string) => {
      if (sessionId === sessionIds.current.listen) teardown();
      else if (sessionId === sessionIds.current.whisper) {
        closeWhisper();
        setSession((s) => (s ? { ...s, whisperSessionId: null } : s));
      }
    },
    [teardown, closeWhisper],
  );

  const start = useCallback(
    async (attemptId: string, userId: string, socketId: string) => {
      if (current.current) await stop();
      current.current = attemptId;
      const { sessionId, offers } = await api.post<{ sessionId: string; offers: ListenOffer[] }>(`/api/supervision/calls/${attemptId}/listen`, { socketId });
      sessionIds.current.listen = sessionId;
      try {
        for (const offer of offers) {
          const pc = new RTCPeerConnection({ iceServers: [] });
          const audio = new Audio() as SinkAudio;
          audio.autoplay = true;
          if (sinkId && audio.setSinkId) await audio.setSinkId(sinkId).catch(() => undefined);
          pc.addEventListener('track', (e) => {
            audio.srcObject = e.streams[0] ?? new MediaStream([e.track]);
            void audio.play().catch(() => undefined);
          });
          legs.current.push({ participant: offer.participant, tag: offer.subscriptionTag, pc, audio });
          await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
          await pc.setLocalDescription(await pc.createAnswer());
          await gathered(pc);
          await api.post(`${sessionUrl(sessionId)}/answer`, { subscriptionTag: offer.subscriptionTag, sdp: pc.localDescription!.sdp });
        }
      } catch (err) {
        await stop();
        throw err;
      }
      setSession({ sessionId, attemptId, userId, whisperSessionId: null, bytes: {} });
    },
    [api, sinkId, stop],
  );

  /** Whisper: the trainer's microphone, published into the call for the trainee only. */
  const startWhisper = useCallback(
    async (socketId: string) => {
      const attemptId = current.current;
      if (!attemptId || whisperMedia.current) return;
      const mic = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
      const pc = new RTCPeerConnection({ iceServers: [] });
      whisperMedia.current = { pc, mic };
      try {
        for (const track of mic.getTracks()) pc.addTrack(track, mic);
        await pc.setLocalDescription(await pc.createOffer());
        await gathered(pc);
        const res = await api.post<{ sessionId: string; sdp: string }>(`/api/supervision/calls/${attemptId}/whisper`, { sdp: pc.localDescription!.sdp, socketId });
        sessionIds.current.whisper = res.sessionId;
        await pc.setRemoteDescription({ type: 'answer', sdp: res.sdp });
        setSession((s) => (s ? { ...s, whisperSessionId: res.sessionId } : s));
      } catch (err) {
        const id = sessionIds.current.whisper;
        closeWhisper();
        if (id) await api.delete(sessionUrl(id)).catch(() => undefined);
        throw err;
      }
    },
    [api, closeWhisper],
  );

  const stopWhisper = useCallback(async () => {
    const id = sessionIds.current.whisper;
    closeWhisper();
    setSession((s) => (s ? { ...s, whisperSessionId: null } : s));
    if (id) await api.delete(sessionUrl(id)).catch(() => undefined);
  }, [api, closeWhisper]);

  const chooseSink = useCallback(async (id: string) => {
    setSinkIdState(id);
    await Promise.all(legs.current.map((l) => (l.audio as SinkAudio).setSinkId?.(id).catch(() => undefined)));
  }, []);

  // Received bytes, once a second, while listening.
  useEffect(() => {
    if (!session) return;
    const timer = setInterval(() => {
      void Promise.all(
        legs.current.map(async (l) => {
          let bytes = 0;
          (await l.pc.getStats()).forEach((s: { type: string; bytesReceived?: number }) => {
            if (s.type === 'inbound-rtp') bytes += s.bytesReceived ?? 0;
          });
          return [l.participant, bytes] as const;
        }),
      ).then((pairs) => setSession((s) => (s && s.attemptId === current.current ? { ...s, bytes: Object.fromEntries(pairs) } : s)));
    }, 1000);
    return () => clearInterval(timer);
  }, [session?.attemptId]);

  useEffect(() => () => teardown(), [teardown]);

  return { session, start, stop, ended, startWhisper, stopWhisper, sinkId, chooseSink };
}

/** Audio outputs the browser exposes (labels appear once the page got a media permission). */
export async function audioOutputs(): Promise<MediaDeviceInfo[]> {
  const devices = (await navigator.mediaDevices?.enumerateDevices?.()) ?? [];
  return devices.filter((d) => d.kind === 'audiooutput');
}
