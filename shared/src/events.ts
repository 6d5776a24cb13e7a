import type { AgentHealth } from './agent-health.ts';
import type { AgentStatus, PauseReason } from './agent-state.ts';
import type { CampaignType } from './api/campaigns.ts';
import type { DialingMode, DispositionCode, DispositionInput, Script } from './api/campaign-engine.ts';
import type { MaskedCard } from './masking.ts';

/**
 * Typed socket.io contracts (socket.io 4 generics: `Socket<ServerToClient, ClientToServer>`).
 * Namespaces: `/agent` (trainees), `/supervisor` (trainers, admins), `/partner` (partner users).
 * Every namespace sends a full `snapshot` on (re)connect: clients replace their state with it.
 * Times are ISO 8601 strings (UTC). No payload to `/agent` ever carries a phone number.
 */

export type AckResult = { ok: true } | { ok: false; code: string; message: string };
export type Ack = (result: AckResult) => void;

export interface AgentView {
  userId: string;
  displayName: string;
  status: AgentStatus;
  reason: PauseReason | null;
  pendingPause: PauseReason | null;
  since: string;
  attemptId: string | null;
  campaignId: string | null;
}

export interface OfferCard extends MaskedCard {
  territory: string;
  timeZone: string;
  language: string;
}

export interface OfferSlot {
  id: string;
  startsAt: string;
  endsAt: string;
  channel: string;
  place: string | null;
}

export interface OfferPayload {
  attemptId: string;
  /** Single-use call token: the console dials `sip:<token>@<proxy>` (already spent once the call started). */
  token: string;
  expiresAt: string;
  mode: DialingMode;
  countdownSeconds: number;
  campaign: { id: string; name: string; type: CampaignType; partnerName: string };
  card: OfferCard;
  script: Script;
  dispositions: DispositionCode[];
  /** Appointment campaigns: the partner's free slots. */
  slots: OfferSlot[];
  /** Earlier attempts on this contact, newest first. */
  history: { at: string; outcome: string | null }[];
  /** Set when this offer is a callback the customer asked for. */
  callback: { dueAt: string; reservedToMe: boolean } | null;
}

export type CallEvent = 'ringing' | 'answered' | 'ended';

export interface CallProgressPayload {
  attemptId: string;
  event: CallEvent;
  at: string;
  cause: string | null;
  hungUpBy: 'agent' | 'customer' | 'supervisor' | 'system' | null;
  /** After `ended`: the outcome the line itself tells (busy, no_answer…), to prefill the form. */
  suggestedOutcome: DispositionCode | 'failed' | null;
  /** After `ended`: when after-call work ends. */
  wrapUpDeadline: string | null;
}

export interface AgentCurrentCall {
  attemptId: string;
  status: 'offered' | 'dialing' | 'ringing' | 'in_call' | 'wrap_up';
  wrapUpDeadline: string | null;
}

export interface AgentSnapshot {
  serverTime: string;
  state: AgentView;
  /** The open attempt's details (offered, dialling, in call or wrap-up): a reload restores card, script and form. */
  offer: OfferPayload | null;
  call: AgentCurrentCall | null;
}

/** A trainee's raised hand, as trainers see it (help-requests module). */
export interface HelpRequest {
  userId: string;
  displayName: string;
  siteId: string | null;
  at: string;
  status: 'open' | 'acknowledged';
  acknowledgedBy: string | null;
}

/**
 * A trainer listening to or whispering into a live call (supervision-media module). Supervisors
 * see every open session (floor row, listen panel); trainees are told about whispers only.
 */
export interface SupervisionSession {
  sessionId: string;
  attemptId: string;
  agentUserId: string;
  kind: 'listen' | 'whisper';
  supervisorUserId: string;
  supervisorName: string;
  startedAt: string;
}

export type SupervisionEndReason = 'stopped' | 'disconnected' | 'call_ended';

/** The trainee's side of a whisper: a trainer talks to it, the customer does not hear. */
export interface WhisperNotice {
  attemptId: string;
  active: boolean;
  /** The trainer's display name while active. */
  by: string | null;
}

/** The trainee's own help request, as its console shows it. */
export interface HelpView {
  status: 'none' | 'open' | 'acknowledged';
  acknowledgedBy: string | null;
}

export interface AgentServerToClient {
  snapshot: (snapshot: AgentSnapshot) => void;
  state: (state: AgentView) => void;
  offer: (offer: OfferPayload) => void;
  /** The offer was taken back (expired, skipped, campaign paused): the contact went back untouched. */
  'offer:withdrawn': (p: { attemptId: string; reason: string }) => void;
  'call:progress': (p: CallProgressPayload) => void;
  'attempt:closed': (p: { attemptId: string; outcome: string }) => void;
  notice: (p: { code: string; message: string }) => void;
  'help:update': (p: HelpView) => void;
  /** A trainer invites the trainee to a practice call (accept or decline over the API). */
  'practice:invite': (p: PracticeInvitation) => void;
  /** The practice call is over or withdrawn (ended, failed, cancelled, expired). */
  'practice:closed': (p: { practiceCallId: string; status: string }) => void;
  /** A trainer starts or stops whispering into the trainee's call (also sent on connect while one is on). */
  'supervision:whisper': (p: WhisperNotice) => void;
  /** A trainer ends the trainee's call: the console hangs up (the proxy does if it does not). */
  'supervision:hangup': (p: { attemptId: string }) => void;
}

/** A practice call invitation as the trainee sees it: the scenario without the trainer's notes (customer role, pitfalls). */
export interface PracticeInvitation {
  practiceCallId: string;
  trainerName: string;
  expiresAt: string;
  scenario: { id: string; title: string; context: string; objectives: string[] };
}

export interface AgentClientToServer {
  ready: (ack: Ack) => void;
  pause: (p: { reason: PauseReason }, ack: Ack) => void;
  'offer:skip': (p: { attemptId: string; reason: string }, ack: Ack) => void;
  disposition: (p: { attemptId: string; disposition: DispositionInput }, ack: Ack) => void;
  /** Hangs up the trainee's own call through the proxy: the console lost its line (page reloaded or closed). */
  'call:hangup': (p: { attemptId: string }, ack: Ack) => void;
  heartbeat: () => void;
  /** Phone and headset health: on change and with every heartbeat (the server keeps it ~30 s). */
  health: (h: AgentHealth) => void;
  /** End of shift: the trainee goes offline (an offer goes back untouched) before the HTTP logout. */
  logout: (ack: Ack) => void;
  'snapshot:get': (ack: (snapshot: AgentSnapshot) => void) => void;
}

export interface LiveAttempt {
  attemptId: string;
  campaignId: string;
  agentUserId: string;
  status: 'offered' | 'dialing' | 'ringing' | 'in_call' | 'wrap_up';
  offeredAt: string;
  answeredAt: string | null;
}

export interface CampaignCounters {
  campaignId: string;
  name: string;
  status: string;
  /** Contacts still to call (pending, callback or held by an attempt). */
  remaining: number;
  attemptedToday: number;
  reachedToday: number;
  /** reachedToday / attemptedToday, 0 when nothing was attempted. */
  contactRate: number;
  appointments: number;
}

export interface SupervisorAlert {
  kind: 'heartbeat_lost' | 'offer_expired' | 'wrap_up_timeout' | 'agent_disconnected';
  userId: string;
  at: string;
  message: string;
}

/** A trainee's latest health report; absent (unknown) once its console stopped reporting. */
export interface AgentHealthView extends AgentHealth {
  userId: string;
  /** When the console reported it. */
  at: string;
}

export interface SupervisorSnapshot {
  serverTime: string;
  agents: AgentView[];
  attempts: LiveAttempt[];
  campaigns: CampaignCounters[];
  /** Health of the trainees whose console reports (others: unknown). */
  health: AgentHealthView[];
  /** Training groups (groupes de formation) with their trainees, for the floor's filter. */
  teams: FloorTeam[];
  /** Open listen/whisper sessions on live calls. */
  supervision: SupervisionSession[];
}

export interface FloorTeam {
  id: string;
  name: string;
  traineeIds: string[];
}

export interface AttemptClosed {
  attemptId: string;
  campaignId: string;
  outcome: string;
}

/** The floor changes the server coalesces into one `floor:batch` per interval (see FloorBatch). */
export interface FloorUpdates {
  'agent:state': AgentView;
  'attempt:update': LiveAttempt;
  'attempt:closed': AttemptClosed;
  'campaign:counters': CampaignCounters;
}

/**
 * Every floor change of the last ~50 ms in one message (not one per change and supervisor).
 * `agents` holds every state change in order (apply them in order: the last one per trainee is
 * current); attempts and campaigns hold the latest full state of each, so a batch that overlaps a
 * snapshot converges to the same state; an attempt is either updated or closed.
 */
export interface FloorBatch {
  agents: AgentView[];
  attempts: LiveAttempt[];
  closed: AttemptClosed[];
  campaigns: CampaignCounters[];
}

export const floorBatchSize = (b: FloorBatch) => b.agents.length + b.attempts.length + b.closed.length + b.campaigns.length;

export interface SupervisorServerToClient {
  snapshot: (snapshot: SupervisorSnapshot) => void;
  'floor:batch': (batch: FloorBatch) => void;
  alert: (alert: SupervisorAlert) => void;
  'help:request': (request: HelpRequest) => void;
  'help:closed': (p: { userId: string }) => void;
  /** A trainee's health changed (`health` null: its console stopped reporting). */
  'agent:health': (p: { userId: string; health: AgentHealthView | null }) => void;
  'supervision:started': (session: SupervisionSession) => void;
  'supervision:ended': (p: { sessionId: string; attemptId: string; durationSeconds: number; reason: SupervisionEndReason }) => void;
}

export interface SupervisorClientToServer {
  'agent:force_pause': (p: { userId: string; reason: PauseReason }, ack: Ack) => void;
  'agent:force_logout': (p: { userId: string }, ack: Ack) => void;
  'snapshot:get': (ack: (snapshot: SupervisorSnapshot) => void) => void;
}

export interface ImportProgress {
  importId: string;
  campaignId: string;
  status: string;
  processed: number;
  total: number | null;
  errors: number;
}

export interface PartnerServerToClient {
  snapshot: (snapshot: { serverTime: string; partnerId: string }) => void;
  'import:progress': (p: ImportProgress) => void;
}

export type PartnerClientToServer = Record<string, never>;

export const namespaces = { agent: '/agent', supervisor: '/supervisor', partner: '/partner' } as const;
