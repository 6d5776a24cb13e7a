import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, renderHook, waitFor } from '@testing-library/react';
import type { WhisperNotice } from '@passerelle/shared/events';
import type { ApiClient } from '../../kit/http.ts';
import type { UseSoftphone } from '../../kit/softphone/index.ts';
import { useWhisperFeed } from './useWhisperFeed.ts';

afterEach(cleanup);

describe('useWhisperFeed', () => {
  it('subscribes to the trainer’s voice as soon as the whisper starts, and lets go when it stops', async () => {
    const api = {
      post: vi.fn(async (url: string) => (url === '/api/telephony/whisper' ? { subscriptionTag: 'sub-1', sdp: 'v=0 offer' } : undefined)),
    } as unknown as ApiClient;
    const phone = {
      joinWhisper: vi.fn(async (_sdp: string, answer: (sdp: string) => Promise<void>) => answer('v=0 answer')),
      leaveWhisper: vi.fn(),
    } as unknown as UseSoftphone;
    const { rerender } = renderHook(({ notice }: { notice: WhisperNotice | null }) => useWhisperFeed(api, phone, notice), {
      initialProps: { notice: { attemptId: 'a1', active: true, by: 'Formatrice 01' } as WhisperNotice | null },
    });
    await waitFor(() => expect(phone.joinWhisper).toHaveBeenCalledWith('v=0 offer', expect.any(Function)));
    expect(api.post).toHaveBeenCalledWith('/api/telephony/whisper/answer', { subscriptionTag: 'sub-1', sdp: 'v=0 answer' });
    rerender({ notice: { attemptId: 'a1', active: false, by: null } });
    expect(phone.leaveWhisper).toHaveBeenCalled();
  });
});
