/**
 * The trainee (agent) state machine. The server is the only writer; consoles render it.
 *
 *   offline → ready → offered → dialing → ringing → in_call → wrap_up → ready
 *   paused(reason) from ready/offered; a pause asked during a call or its wrap-up waits for the disposition.
 */

export const agentStatuses = ['offline', 'ready', 'offered', 'dialing', 'ringing', 'in_call', 'wrap_up', 'paused'] as const;
export type AgentStatus = (typeof agentStatuses)[number];

export const pauseReasons = ['pause', 'training', 'break', 'technical'] as const;
export type PauseReason = (typeof pauseReasons)[number];

export interface AgentState {
  status: AgentStatus;
  /** Set when status is paused. */
  reason: PauseReason | null;
  /** A pause requested while busy with a call, applied once the call is wrapped up. */
  pendingPause: PauseReason | null;
}

export type AgentEvent =
  | { type: 'login' }
  | { type: 'ready' }
  | { type: 'pause'; reason: PauseReason }
  | { type: 'offer' }
  | { type: 'offer_returned' }
  | { type: 'dial' }
  | { type: 'ringing' }
  | { type: 'answered' }
  | { type: 'call_ended' }
  | { type: 'disposed' }
  | { type: 'wrap_up_timeout' }
  | { type: 'force_pause'; reason: PauseReason }
  | { type: 'heartbeat_lost' }
  | { type: 'logout' }
  | { type: 'force_logout' };

export type TransitionResult = { ok: true; state: AgentState } | { ok: false; error: 'INVALID_TRANSITION'; from: AgentStatus; event: AgentEvent['type'] };

const IN_CALL: readonly AgentStatus[] = ['dialing', 'ringing', 'in_call'];
/** A pause asked in these statuses waits: the call and its disposition come first. */
const BUSY: readonly AgentStatus[] = [...IN_CALL, 'wrap_up'];

export const OFFLINE: AgentState = { status: 'offline', reason: null, pendingPause: null };
const state = (status: AgentStatus, reason: PauseReason | null = null, pendingPause: PauseReason | null = null): AgentState => ({ status, reason, pendingPause });

/** Which statuses each event may leave from (the transitions table, also used by docs and tests). */
export const transitions: Record<AgentEvent['type'], readonly AgentStatus[]> = {
  login: ['offline'],
  ready: ['paused', 'ready'],
  pause: ['ready', 'offered', 'paused', 'wrap_up', 'dialing', 'ringing', 'in_call'],
  offer: ['ready'],
  offer_returned: ['offered'],
  dial: ['offered'],
  ringing: ['dialing'],
  answered: ['dialing', 'ringing'],
  call_ended: ['offered', 'dialing', 'ringing', 'in_call'],
  disposed: ['wrap_up'],
  wrap_up_timeout: ['wrap_up'],
  force_pause: ['ready', 'offered', 'paused', 'wrap_up', 'dialing', 'ringing', 'in_call'],
  heartbeat_lost: ['ready', 'offered', 'paused', 'wrap_up', 'dialing', 'ringing', 'in_call'],
  logout: ['offline', 'ready', 'offered', 'paused', 'wrap_up', 'dialing', 'ringing', 'in_call'],
  force_logout: ['offline', 'ready', 'offered', 'paused', 'wrap_up', 'dialing', 'ringing', 'in_call'],
};

/** Pure transition: the next state, or an error naming the refused move. */
export function transition(current: AgentState, event: AgentEvent): TransitionResult {
  const from = current.status;
  if (!transitions[event.type].includes(from)) return { ok: false, error: 'INVALID_TRANSITION', from, event: event.type };
  switch (event.type) {
    case 'login':
      return { ok: true, state: state('paused', 'pause') };
    case 'ready':
      return { ok: true, state: state('ready') };
    case 'pause':
    case 'force_pause':
      // Never cut a live call nor skip its disposition: remember the pause and apply it after.
      if (BUSY.includes(from)) return { ok: true, state: { ...current, pendingPause: event.reason } };
      return { ok: true, state: state('paused', event.reason) };
    case 'heartbeat_lost':
      return { ok: true, state: state('paused', 'technical') };
    case 'offer':
      return { ok: true, state: state('offered') };
    case 'offer_returned':
      return { ok: true, state: current.pendingPause ? state('paused', current.pendingPause) : state('ready') };
    case 'dial':
      return { ok: true, state: { ...current, status: 'dialing' } };
    case 'ringing':
      return { ok: true, state: { ...current, status: 'ringing' } };
    case 'answered':
      return { ok: true, state: { ...current, status: 'in_call' } };
    case 'call_ended':
      return { ok: true, state: { ...current, status: 'wrap_up' } };
    case 'disposed':
    case 'wrap_up_timeout':
      return { ok: true, state: current.pendingPause ? state('paused', current.pendingPause) : state('ready') };
    case 'logout':
    case 'force_logout':
      return { ok: true, state: OFFLINE };
  }
}

/** Statuses during which the trainee holds a contact (an attempt is open). */
export const holdsContact = (status: AgentStatus) => status === 'offered' || status === 'wrap_up' || IN_CALL.includes(status);

/** Statuses counted as working time in the hours report (everything but offline). */
export const isWorking = (status: AgentStatus) => status !== 'offline';
