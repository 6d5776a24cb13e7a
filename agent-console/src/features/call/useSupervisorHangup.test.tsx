import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, renderHook } from '@testing-library/react';
import { useSupervisorHangup } from './useSupervisorHangup.ts';

afterEach(cleanup);

describe('useSupervisorHangup', () => {
  it('hangs up the call in hand once when a trainer ends it, and ignores a request for another call', () => {
    const phone = { hangup: vi.fn() };
    const { result, rerender } = renderHook(({ attempt }: { attempt: string | undefined }) => useSupervisorHangup(phone, attempt), { initialProps: { attempt: 'a1' as string | undefined } });
    act(() => result.current('a0'));
    expect(phone.hangup).not.toHaveBeenCalled();
    act(() => result.current('a1'));
    expect(phone.hangup).toHaveBeenCalledTimes(1);
    rerender({ attempt: 'a1' });
    rerender({ attempt: undefined });
    expect(phone.hangup).toHaveBeenCalledTimes(1);
  });

  it('does not hang up the next call for an earlier request', () => {
    const phone = { hangup: vi.fn() };
    const { result, rerender } = renderHook(({ attempt }: { attempt: string | undefined }) => useSupervisorHangup(phone, attempt), { initialProps: { attempt: undefined as string | undefined } });
    act(() => result.current('a1'));
    rerender({ attempt: 'a2' });
    expect(phone.hangup).not.toHaveBeenCalled();
  });
});
