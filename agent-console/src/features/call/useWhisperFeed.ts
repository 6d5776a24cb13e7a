import { useEffect, useRef } from 'react';
import type { WhisperNotice } from '@passerelle/shared/events';
import type { ApiClient } from '../../kit/http.ts';
import type { UseSoftphone } from '../../kit/softphone/index.ts';

/**
 * A trainer whispers (server event `supervision:whisper`): the softphone subscribes to the
 * trainer's voice at once, beside the call, and lets go when the whisper or the call ends.
 */
export function useWhisperFeed(api: ApiClient, phone: UseSoftphone, notice: WhisperNotice | null): void {
  const phoneRef = useRef(phone);
  phoneRef.current = phone;
  const active = notice?.active ? notice.attemptId : null;
  useEffect(() => {
    if (!active) {
      phoneRef.current.leaveWhisper();
      return;
    }
    let current = true;
    void (async () => {
      const feed = await api.post<{ subscriptionTag: string; sdp: string }>('/api/telephony/whisper');
      if (!current) return;
      await phoneRef.current.joinWhisper(feed.sdp, (sdp) => api.post('/api/telephony/whisper/answer', { subscriptionTag: feed.subscriptionTag, sdp }).then(() => undefined));
    })().catch(() => undefined);
    return () => {
      current = false;
    };
  }, [api, active]);
}
