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
  attemptId: string;
  userId: string;
  /** Audio bytes received so far on each leg (WebRTC inbound-rtp): proves the audio flows. */
  bytes: Record<string, number>;
}

type SinkAudio = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

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
 * telephony's rtpengine subscriptions. The output device is chosen with setSinkId.
 */
export function useListen(api: ApiClient) {
  const [session, setSession] = useState<ListenSession | null>(null);
  const [sinkId, setSinkIdState] = useState('');
  const legs = useRef<Leg[]>([]);
  const current = useRef<string | null>(null);

  const teardown = useCallback(() => {
    for (const leg of legs.current) {
      leg.pc.close();
      leg.audio.srcObject = null;
    }
    legs.current = [];
  }, []);

  const stop = useCallback(async () => {
    const attemptId = current.current;
    const tags = legs.current.map((l) => l.tag);
    teardown();
    current.current = null;
    setSession(null);
    if (attemptId) await Promise.all(tags.map((tag) => api.delete(`/api/supervision/calls/${attemptId}/listen/${encodeURIComponent(tag)}`).catch(() => undefined)));
  }, [api, teardown]);

  const start = useCallback(
    async (attemptId: string, userId: string) => {
      if (current.current) await stop();
      current.current = attemptId;
      const { offers } = await api.post<{ offers: ListenOffer[] }>(`/api/supervision/calls/${attemptId}/listen`);
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
          await api.post(`/api/supervision/calls/${attemptId}/listen/answer`, { subscriptionTag: offer.subscriptionTag, sdp: pc.localDescription!.sdp });
        }
      } catch (err) {
        await stop();
        throw err;
      }
      setSession({ attemptId, userId, bytes: {} });
    },
    [api, sinkId, stop],
  );

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

  return { session, start, stop, sinkId, chooseSink };
}

/** Audio outputs the browser exposes (labels appear once the page got a media permission). */
export async function audioOutputs(): Promise<MediaDeviceInfo[]> {
  const devices = (await navigator.mediaDevices?.enumerateDevices?.()) ?? [];
  return devices.filter((d) => d.kind === 'audiooutput');
}
