import { describe, expect, it } from 'vitest';
import type { AgentSnapshot, AgentView } from '@passerelle/shared/events';
import { testOffer } from '../features/test-offer.ts';
import { farEndOf, initialLive, liveReducer, type LiveState } from './live.ts';

const view = (patch: Partial<AgentView>): AgentView => ({
  userId: 'u',
  displayName: 'Conseiller',
  status: 'ready',
  reason: null,
  pendingPause: null,
  since: '2026-11-30T13:00:00.000Z',
  attemptId: null,
  campaignId: null,
  ...patch,
});
const offer = testOffer();
const snapshot = (patch: Partial<AgentSnapshot>): AgentSnapshot => ({ serverTime: '2026-11-30T13:00:10.000Z', state: view({}), offer: null, call: null, ...patch });

describe('live state', () => {
  it('keeps the offer details through a reconnection during the same call, drops them for another', () => {
    let s: LiveState = liveReducer(initialLive, { type: 'offer', offer });
    s = liveReducer(s, { type: 'progress', progress: { attemptId: offer.attemptId, event: 'answered', at: '2026-11-30T13:00:05.000Z', cause: null, hungUpBy: null, suggestedOutcome: null, wrapUpDeadline: null } });
    s = liveReducer(s, { type: 'link', link: 'reconnecting' });
    expect(s.synced).toBe(false);
    const inCall = snapshot({ state: view({ status: 'in_call', attemptId: offer.attemptId }), call: { attemptId: offer.attemptId, status: 'in_call', wrapUpDeadline: null } });
    const after = liveReducer(s, { type: 'snapshot', snapshot: inCall, receivedAt: new Date('2026-11-30T13:00:09.000Z').getTime() });
    expect(after.offer).toBe(offer);
    expect(after.synced).toBe(true);
    expect(after.clockOffsetMs).toBe(1000);
    expect(farEndOf(after.call, after.progress)).toBe('answered');
    const other = liveReducer(s, { type: 'snapshot', snapshot: snapshot({ call: { attemptId: 'other', status: 'wrap_up', wrapUpDeadline: null } }), receivedAt: 0 });
    expect(other.offer).toBeNull();
    expect(other.progress).toBeNull();
  });

  it('lets the snapshot replace a stale call (closed while the console was away)', () => {
    const s = liveReducer(liveReducer(initialLive, { type: 'offer', offer }), { type: 'snapshot', snapshot: snapshot({}), receivedAt: 0 });
    expect(s.call).toBeNull();
    expect(s.offer).toBeNull();
  });

  it('follows the call: busy after the end, then closed', () => {
    let s = liveReducer(initialLive, { type: 'offer', offer });
    s = liveReducer(s, { type: 'progress', progress: { attemptId: offer.attemptId, event: 'ended', at: 'x', cause: 'busy', hungUpBy: null, suggestedOutcome: 'busy', wrapUpDeadline: '2026-11-30T13:02:00.000Z' } });
    expect(s.call).toEqual({ attemptId: offer.attemptId, status: 'wrap_up', wrapUpDeadline: '2026-11-30T13:02:00.000Z' });
    expect(farEndOf(s.call, s.progress)).toBe('busy');
    s = liveReducer(s, { type: 'closed', attemptId: offer.attemptId, outcome: 'busy' });
    expect(s.call).toBeNull();
    expect(s.closed).toEqual({ attemptId: offer.attemptId, outcome: 'busy' });
  });

  it('ignores events of another attempt', () => {
    const s = liveReducer(initialLive, { type: 'offer', offer });
    expect(liveReducer(s, { type: 'withdrawn', attemptId: 'old', reason: 'expired' })).toBe(s);
  });
});
