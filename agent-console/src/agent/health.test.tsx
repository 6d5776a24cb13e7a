import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, renderHook } from '@testing-library/react';
import type { AgentHealth, CallAudio } from '@passerelle/shared/agent-health';
import type { SoftphoneState } from '../kit/softphone/index.ts';
import { HealthReporter, useAgentHealth } from './health.ts';

const phoneState = (patch: Partial<SoftphoneState> = {}, call: Partial<SoftphoneState['call']> = {}): SoftphoneState => ({
  health: 'ready',
  error: null,
  whisper: false,
  micLevel: 0.2,
  microphoneId: 'device-id-never-sent',
  micError: false,
  ...patch,
  call: { status: 'idle', muted: false, held: false, answeredAt: null, sipCode: null, ...call },
});

describe('useAgentHealth', () => {
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('maps the phone to the floor’s record, without any device name or id', () => {
    const callAudio = vi.fn(async () => null);
    const { result, rerender } = renderHook(({ state, missing }) => useAgentHealth({ state, callAudio }, missing), {
      initialProps: { state: phoneState(), missing: false },
    });
    expect(result.current).toEqual({ sip: 'registered', mic: 'ok', call: null });
    expect(JSON.stringify(result.current)).not.toContain('device-id');
    rerender({ state: phoneState({ health: 'reconnecting' }), missing: true });
    expect(result.current).toEqual({ sip: 'connecting', mic: 'missing', call: null });
    rerender({ state: phoneState({ health: 'failed', micError: true }), missing: false });
    expect(result.current).toMatchObject({ sip: 'failed', mic: 'missing' });
    expect(callAudio).not.toHaveBeenCalled();
  });

  it('samples the call’s audio every few seconds while in call, and says when the trainee is muted', async () => {
    vi.useFakeTimers();
    const audio: CallAudio = { packetLossPct: 7, jitterMs: 20, rttMs: 35, micLevel: 0.4 };
    const callAudio = vi.fn(async () => audio);
    const { result, rerender } = renderHook(({ state }) => useAgentHealth({ state, callAudio }, false), {
      initialProps: { state: phoneState({}, { status: 'in_call' }) },
    });
    expect(result.current.call).toBeNull();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5000);
    });
    expect(result.current.call).toEqual(audio);
    rerender({ state: phoneState({}, { status: 'in_call', muted: true }) });
    expect(result.current.mic).toBe('muted');
    rerender({ state: phoneState({}, { status: 'ended' }) });
    expect(result.current).toEqual({ sip: 'registered', mic: 'ok', call: null });
    const calls = callAudio.mock.calls.length;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(15_000);
    });
    expect(callAudio.mock.calls.length).toBe(calls);
  });
});

describe('HealthReporter', () => {
  it('sends on change and with every heartbeat, and resends what the server missed while offline', () => {
    const sent: AgentHealth[] = [];
    let online = true;
    const reporter = new HealthReporter((h) => online && Boolean(sent.push(h)));
    const ok: AgentHealth = { sip: 'registered', mic: 'ok', call: null };
    reporter.update(ok);
    reporter.update({ ...ok });
    expect(sent).toHaveLength(1);
    reporter.beat();
    expect(sent).toHaveLength(2);
    online = false;
    reporter.update({ ...ok, sip: 'connecting' });
    expect(sent).toHaveLength(2);
    online = true;
    reporter.update({ ...ok, sip: 'connecting' });
    expect(sent.at(-1)).toMatchObject({ sip: 'connecting' });
    reporter.update({ ...ok, call: { packetLossPct: 0.2, jitterMs: 3, rttMs: null, micLevel: 0.1 } });
    reporter.update({ ...ok, call: { packetLossPct: 0.3, jitterMs: 9, rttMs: null, micLevel: 0.7 } });
    expect(sent).toHaveLength(4);
  });
});
