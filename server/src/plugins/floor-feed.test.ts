import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AgentView, FloorBatch, LiveAttempt } from '@passerelle/shared/events';
import { FloorFeed } from './floor-feed.ts';

const agent = (userId: string, status: AgentView['status']): AgentView => ({
  userId,
  displayName: userId,
  status,
  reason: null,
  pendingPause: null,
  since: '2026-11-29T15:00:00.000Z',
  attemptId: null,
  campaignId: null,
});
const attempt = (attemptId: string, status: LiveAttempt['status']): LiveAttempt => ({
  attemptId,
  campaignId: 'c1',
  agentUserId: 'u1',
  status,
  offeredAt: '2026-11-29T15:00:00.000Z',
  answeredAt: null,
});

afterEach(() => vi.useRealTimers());

describe('floor feed', () => {
  it('sends one batch per interval: every agent state in order, the latest state of attempts and counters', () => {
    vi.useFakeTimers();
    const sent: FloorBatch[] = [];
    const feed = new FloorFeed((b) => sent.push(b), 50);
    feed.add('agent:state', agent('u1', 'ready'));
    feed.add('agent:state', agent('u2', 'paused'));
    feed.add('agent:state', agent('u1', 'offered'));
    feed.add('attempt:update', attempt('a1', 'offered'));
    feed.add('attempt:update', attempt('a2', 'offered'));
    feed.add('attempt:update', attempt('a2', 'dialing'));
    feed.add('attempt:closed', { attemptId: 'a1', campaignId: 'c1', outcome: 'offer_skipped' });
    // A late update never resurrects an attempt closed in the same interval.
    feed.add('attempt:update', attempt('a1', 'offered'));
    feed.add('campaign:counters', { campaignId: 'c1', name: 'C', status: 'running', remaining: 3, attemptedToday: 0, reachedToday: 0, contactRate: 0, appointments: 0 });
    vi.advanceTimersByTime(49);
    expect(sent).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(sent).toHaveLength(1);
    const [b] = sent;
    // A supervisor sees each state change (Ready, then Offered), not only the last.
    expect(b!.agents.map((a) => [a.userId, a.status])).toEqual([
      ['u1', 'ready'],
      ['u2', 'paused'],
      ['u1', 'offered'],
    ]);
    expect(b!.attempts.map((a) => [a.attemptId, a.status])).toEqual([['a2', 'dialing']]);
    expect(b!.closed).toEqual([{ attemptId: 'a1', campaignId: 'c1', outcome: 'offer_skipped' }]);
    expect(b!.campaigns.map((c) => c.remaining)).toEqual([3]);
    // Nothing new: nothing sent; a later change starts a new batch.
    vi.advanceTimersByTime(500);
    expect(sent).toHaveLength(1);
    feed.add('agent:state', agent('u2', 'ready'));
    vi.advanceTimersByTime(50);
    expect(sent.map((x) => x.agents.length)).toEqual([3, 1]);
  });

  it('drops what it gathered when stopped', () => {
    vi.useFakeTimers();
    const sent: FloorBatch[] = [];
    const feed = new FloorFeed((b) => sent.push(b), 50);
    feed.add('agent:state', agent('u1', 'ready'));
    feed.stop();
    vi.advanceTimersByTime(100);
    feed.flush();
    expect(sent).toEqual([]);
  });
});
