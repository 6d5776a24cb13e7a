import type { AgentView, AttemptClosed, CampaignCounters, FloorBatch, FloorUpdates, LiveAttempt } from '@passerelle/shared/events';

/** How long floor changes are gathered before one `floor:batch` goes to every supervisor. */
export const FLOOR_BATCH_MS = 50;

/**
 * Coalesces the supervisors' floor changes (agent states, live attempts, counters) into one
 * message per FLOOR_BATCH_MS: a busy floor costs a few broadcasts a second instead of five per
 * offer and supervisor. Every agent state change is kept, in order (supervisors see each one, e.g.
 * Ready then Offered in the same interval); for attempts and counters the latest state wins, and an
 * attempt closed in the interval is sent as closed only.
 */
export class FloorFeed {
  private agents: AgentView[] = [];
  private attempts = new Map<string, { update: LiveAttempt } | { closed: AttemptClosed }>();
  private campaigns = new Map<string, CampaignCounters>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly send: (batch: FloorBatch) => void,
    private readonly intervalMs = FLOOR_BATCH_MS,
  ) {}

  add<E extends keyof FloorUpdates>(event: E, payload: FloorUpdates[E]): void {
    switch (event) {
      case 'agent:state': {
        const a = payload as AgentView;
        this.agents.push(a);
        break;
      }
      case 'attempt:update': {
        const a = payload as LiveAttempt;
        const prev = this.attempts.get(a.attemptId);
        if (!prev || 'update' in prev) this.attempts.set(a.attemptId, { update: a });
        break;
      }
      case 'attempt:closed': {
        const c = payload as AttemptClosed;
        this.attempts.set(c.attemptId, { closed: c });
        break;
      }
      case 'campaign:counters': {
        const c = payload as CampaignCounters;
        this.campaigns.set(c.campaignId, c);
        break;
      }
    }
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs).unref();
  }

  /** Sends what was gathered (nothing when empty). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.agents.length && !this.attempts.size && !this.campaigns.size) return;
    const batch: FloorBatch = { agents: this.agents, attempts: [], closed: [], campaigns: [...this.campaigns.values()] };
    for (const a of this.attempts.values()) {
      if ('closed' in a) batch.closed.push(a.closed);
      else batch.attempts.push(a.update);
    }
    this.agents = [];
    this.attempts = new Map();
    this.campaigns = new Map();
    this.send(batch);
  }

  /** Drops what was gathered (shutting down). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.agents = [];
    this.attempts.clear();
    this.campaigns.clear();
  }
}
