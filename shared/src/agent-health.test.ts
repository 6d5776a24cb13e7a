import { describe, expect, it } from 'vitest';
import { callQuality, healthSignature, type AgentHealth } from './agent-health.ts';

const call = (packetLossPct: number, jitterMs = 5, rttMs: number | null = 40) => ({ packetLossPct, jitterMs, rttMs, micLevel: 0.3 });

describe('agent health', () => {
  it('grades call audio by loss, jitter and delay', () => {
    expect(callQuality(call(0))).toBe('good');
    expect(callQuality(call(1.2))).toBe('fair');
    expect(callQuality(call(7))).toBe('poor');
    expect(callQuality(call(0, 70))).toBe('poor');
    expect(callQuality(call(0, 5, 350))).toBe('fair');
    expect(callQuality(call(0, 5, null))).toBe('good');
  });

  it('changes signature with what a trainer notices, not with every figure', () => {
    const base: AgentHealth = { sip: 'registered', mic: 'ok', call: call(0.2) };
    expect(healthSignature({ ...base, call: { ...call(0.3), micLevel: 0.9, jitterMs: 9 } })).toBe(healthSignature(base));
    expect(healthSignature({ ...base, sip: 'failed' })).not.toBe(healthSignature(base));
    expect(healthSignature({ ...base, mic: 'muted' })).not.toBe(healthSignature(base));
    expect(healthSignature({ ...base, call: null })).not.toBe(healthSignature(base));
    expect(healthSignature({ ...base, call: call(7) })).not.toBe(healthSignature({ ...base, call: call(8) }));
  });
});
