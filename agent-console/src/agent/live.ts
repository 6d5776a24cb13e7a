import { holdsContact } from '@passerelle/shared/agent-state';
import type { AgentCurrentCall, AgentSnapshot, AgentView, CallProgressPayload, OfferPayload } from '@passerelle/shared/events';

export type LinkStatus = 'connecting' | 'connected' | 'reconnecting';

/**
 * Everything the console knows about the trainee's work, held in memory only (never in browser
 * storage). The server is the only source: a snapshot replaces it all, events patch it.
 */
export interface LiveState {
  link: LinkStatus;
  /** True once a snapshot arrived on the current connection (the screen can be trusted). */
  synced: boolean;
  view: AgentView | null;
  /** server clock − browser clock (ms), so timers count from the server's instants. */
  clockOffsetMs: number;
  /** Details of the attempt in hand (campaign, card, script, slots), kept through the call. */
  offer: OfferPayload | null;
  call: AgentCurrentCall | null;
  /** Last call progress of the current attempt (far-end status). */
  progress: CallProgressPayload | null;
  /** Last attempt closed (for the "qualification enregistrée" message). */
  closed: { attemptId: string; outcome: string } | null;
  withdrawn: { attemptId: string; reason: string } | null;
  notice: { code: string; message: string } | null;
}

export type LiveAction =
  | { type: 'link'; link: LinkStatus }
  | { type: 'snapshot'; snapshot: AgentSnapshot; receivedAt: number }
  | { type: 'state'; view: AgentView }
  | { type: 'offer'; offer: OfferPayload }
  | { type: 'withdrawn'; attemptId: string; reason: string }
  | { type: 'progress'; progress: CallProgressPayload }
  | { type: 'closed'; attemptId: string; outcome: string }
  | { type: 'notice'; code: string; message: string };

export const initialLive: LiveState = {
  link: 'connecting',
  synced: false,
  view: null,
  clockOffsetMs: 0,
  offer: null,
  call: null,
  progress: null,
  closed: null,
  withdrawn: null,
  notice: null,
};

const cleared = { offer: null, call: null, progress: null } as const;

export function liveReducer(s: LiveState, a: LiveAction): LiveState {
  switch (a.type) {
    case 'link':
      return { ...s, link: a.link, synced: a.link === 'connected' ? s.synced : false };
    case 'snapshot': {
      const { snapshot } = a;
      const attemptId = snapshot.call?.attemptId ?? null;
      // The snapshot replaces everything; it carries the open attempt's details (offer, call or
      // wrap-up). Should it lack them, the ones in memory are kept for the same attempt.
      const offer = snapshot.offer ?? (attemptId && s.offer?.attemptId === attemptId ? s.offer : null);
      const progress = attemptId && s.progress?.attemptId === attemptId ? s.progress : null;
      return {
        ...s,
        link: 'connected',
        synced: true,
        view: snapshot.state,
        clockOffsetMs: new Date(snapshot.serverTime).getTime() - a.receivedAt,
        offer,
        call: snapshot.call,
        progress,
      };
    }
    case 'state': {
      const { view } = a;
      if (!view.attemptId || !holdsContact(view.status)) return { ...s, view, ...cleared };
      const status = view.status as AgentCurrentCall['status'];
      const call: AgentCurrentCall =
        s.call?.attemptId === view.attemptId ? { ...s.call, status } : { attemptId: view.attemptId, status, wrapUpDeadline: null };
      return { ...s, view, call };
    }
    case 'offer':
      return { ...s, offer: a.offer, call: { attemptId: a.offer.attemptId, status: 'offered', wrapUpDeadline: null }, progress: null, closed: null, withdrawn: null };
    case 'withdrawn':
      if (s.call && s.call.attemptId !== a.attemptId) return s;
      return { ...s, ...cleared, withdrawn: { attemptId: a.attemptId, reason: a.reason } };
    case 'progress': {
      const p = a.progress;
      if (s.call && s.call.attemptId !== p.attemptId) return s;
      const base: AgentCurrentCall = s.call ?? { attemptId: p.attemptId, status: 'dialing', wrapUpDeadline: null };
      const status: AgentCurrentCall['status'] = p.event === 'ringing' ? 'ringing' : p.event === 'answered' ? 'in_call' : 'wrap_up';
      return { ...s, progress: p, call: { ...base, status, wrapUpDeadline: p.wrapUpDeadline ?? base.wrapUpDeadline } };
    }
    case 'closed':
      if (s.call && s.call.attemptId !== a.attemptId) return { ...s, closed: { attemptId: a.attemptId, outcome: a.outcome } };
      return { ...s, ...cleared, closed: { attemptId: a.attemptId, outcome: a.outcome } };
    case 'notice':
      return { ...s, notice: { code: a.code, message: a.message } };
  }
}

/** What the far end is doing, for the call screen (sonnerie, décroché, occupé…). */
export type FarEnd = 'waiting' | 'ringing' | 'answered' | 'busy' | 'no_answer' | 'hung_up' | 'failed';

export function farEndOf(call: AgentCurrentCall | null, progress: CallProgressPayload | null): FarEnd | null {
  if (!call || call.status === 'offered') return null;
  if (progress?.event === 'ended') {
    if (progress.suggestedOutcome === 'busy') return 'busy';
    if (progress.suggestedOutcome === 'no_answer') return 'no_answer';
    if (progress.suggestedOutcome === 'failed') return 'failed';
    return 'hung_up';
  }
  if (call.status === 'wrap_up') return 'hung_up';
  if (call.status === 'in_call') return 'answered';
  if (call.status === 'ringing') return 'ringing';
  return 'waiting';
}
