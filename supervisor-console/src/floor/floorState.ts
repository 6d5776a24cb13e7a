import type { AgentHealthView, AgentView, CampaignCounters, FloorBatch, FloorTeam, HelpRequest, LiveAttempt, SupervisionSession, SupervisorSnapshot } from '@passerelle/shared/events';

export type { AgentHealthView, FloorTeam, HelpRequest };

export interface FloorState {
  agents: Record<string, AgentView>;
  attempts: Record<string, LiveAttempt>;
  campaigns: Record<string, CampaignCounters>;
  /** Open or acknowledged help requests, by trainee (one per trainee). */
  help: Record<string, HelpRequest>;
  /** Phone/headset health by trainee (absent: unknown, the console does not report). */
  health: Record<string, AgentHealthView>;
  /** Training groups as of the last snapshot. */
  teams: FloorTeam[];
  /** Open listen/whisper sessions of every trainer, by session id. */
  supervision: Record<string, SupervisionSession>;
  /** serverTime − local time at the last snapshot, so timers follow the server's clock. */
  clockOffsetMs: number;
  snapshotAt: number | null;
}

export type FloorEvent =
  | { type: 'snapshot'; snapshot: SupervisorSnapshot; receivedAt: number }
  | { type: 'batch'; batch: FloorBatch }
  | { type: 'help'; help: HelpRequest }
  | { type: 'help:list'; items: HelpRequest[] }
  | { type: 'help:closed'; userId: string }
  | { type: 'health'; userId: string; health: AgentHealthView | null }
  | { type: 'supervision'; session: SupervisionSession }
  | { type: 'supervision:ended'; sessionId: string };

export const emptyFloor: FloorState = { agents: {}, attempts: {}, campaigns: {}, help: {}, health: {}, teams: [], supervision: {}, clockOffsetMs: 0, snapshotAt: null };

const byKey = <T,>(items: readonly T[], key: (t: T) => string) => Object.fromEntries(items.map((i) => [key(i), i])) as Record<string, T>;

/**
 * Applies a batch of events at once (a few renders a second). A snapshot replaces the agents,
 * attempts and counters; the help list (fetched after it) replaces the help requests; objects not touched keep
 * their identity so memoized rows skip rendering.
 */
export function applyEvents(state: FloorState, events: readonly FloorEvent[]): FloorState {
  if (!events.length) return state;
  let agents = state.agents;
  let attempts = state.attempts;
  let campaigns = state.campaigns;
  let help = state.help;
  let health = state.health;
  let supervision = state.supervision;
  let { teams, clockOffsetMs, snapshotAt } = state;
  const own = { agents: false, attempts: false, campaigns: false, help: false, health: false, supervision: false };
  const write = <K extends keyof typeof own>(k: K) => {
    if (own[k]) return;
    own[k] = true;
    if (k === 'agents') agents = { ...agents };
    if (k === 'attempts') attempts = { ...attempts };
    if (k === 'campaigns') campaigns = { ...campaigns };
    if (k === 'help') help = { ...help };
    if (k === 'health') health = { ...health };
    if (k === 'supervision') supervision = { ...supervision };
  };
  for (const e of events) {
    switch (e.type) {
      case 'snapshot':
        agents = byKey(e.snapshot.agents, (a) => a.userId);
        attempts = byKey(e.snapshot.attempts, (a) => a.attemptId);
        campaigns = byKey(e.snapshot.campaigns, (c) => c.campaignId);
        health = byKey(e.snapshot.health, (h) => h.userId);
        teams = e.snapshot.teams;
        supervision = byKey(e.snapshot.supervision, (s) => s.sessionId);
        own.agents = own.attempts = own.campaigns = own.health = own.supervision = true;
        clockOffsetMs = Date.parse(e.snapshot.serverTime) - e.receivedAt;
        snapshotAt = e.receivedAt;
        break;
      case 'batch': {
        const b = e.batch;
        if (b.agents.length) write('agents');
        for (const a of b.agents) agents[a.userId] = a;
        if (b.attempts.length) write('attempts');
        for (const a of b.attempts) attempts[a.attemptId] = a;
        for (const c of b.closed) {
          if (!attempts[c.attemptId]) continue;
          write('attempts');
          delete attempts[c.attemptId];
        }
        if (b.campaigns.length) write('campaigns');
        for (const c of b.campaigns) campaigns[c.campaignId] = c;
        break;
      }
      case 'help':
        write('help');
        help[e.help.userId] = e.help;
        break;
      case 'help:list':
        help = byKey(e.items, (h) => h.userId);
        own.help = true;
        break;
      case 'help:closed':
        if (!help[e.userId]) break;
        write('help');
        delete help[e.userId];
        break;
      case 'health':
        if (!e.health && !health[e.userId]) break;
        write('health');
        if (e.health) health[e.userId] = e.health;
        else delete health[e.userId];
        break;
      case 'supervision':
        write('supervision');
        supervision[e.session.sessionId] = e.session;
        break;
      case 'supervision:ended':
        if (!supervision[e.sessionId]) break;
        write('supervision');
        delete supervision[e.sessionId];
        break;
    }
  }
  return { agents, attempts, campaigns, help, health, teams, supervision, clockOffsetMs, snapshotAt };
}

/** Open supervision sessions grouped by attempt, oldest first (one array per attempt, rebuilt when sessions change). */
export function sessionsByAttempt(supervision: Record<string, SupervisionSession>): Record<string, SupervisionSession[]> {
  const out: Record<string, SupervisionSession[]> = {};
  for (const s of Object.values(supervision).sort((a, b) => a.startedAt.localeCompare(b.startedAt))) (out[s.attemptId] ??= []).push(s);
  return out;
}

/** The live attempt of an agent: the one its state points at, else any attempt it holds. */
export function attemptOf(state: FloorState, agent: AgentView): LiveAttempt | null {
  if (agent.attemptId && state.attempts[agent.attemptId]) return state.attempts[agent.attemptId]!;
  return null;
}

export const IN_CALL_STATUSES = ['dialing', 'ringing', 'in_call'] as const;
export const isInCall = (status: string) => (IN_CALL_STATUSES as readonly string[]).includes(status);

export interface Thresholds {
  /** Seconds of conversation before a long-call alert. */
  longCallSeconds: number;
  /** Seconds of pause before a long-pause alert. */
  longPauseSeconds: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { longCallSeconds: 15 * 60, longPauseSeconds: 10 * 60 };

export type RowAlert = 'help' | 'phone' | 'long_call' | 'long_pause' | null;

/** A Ready trainee whose console says its phone is not registered: offers would fail. */
export const phoneDown = (agent: AgentView, health: AgentHealthView | null | undefined) => agent.status === 'ready' && !!health && health.sip !== 'registered';

/** The most urgent alert of a row: a help request, an unregistered phone, then long call / long pause. */
export function rowAlert(agent: AgentView, attempt: LiveAttempt | null, help: HelpRequest | null, nowMs: number, t: Thresholds, health: AgentHealthView | null = null): RowAlert {
  if (help?.status === 'open') return 'help';
  if (phoneDown(agent, health)) return 'phone';
  if (agent.status === 'in_call') {
    const from = Date.parse(attempt?.answeredAt ?? agent.since);
    if ((nowMs - from) / 1000 >= t.longCallSeconds) return 'long_call';
  }
  if (agent.status === 'paused' && (nowMs - Date.parse(agent.since)) / 1000 >= t.longPauseSeconds) return 'long_pause';
  return null;
}
