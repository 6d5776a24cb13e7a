import { z } from 'zod';

export const credentialsReply = z.object({
  /** auth_ephemeral username "<expiry>:<userId>". */
  username: z.string(),
  password: z.string(),
  /** The agent's SIP address: sip:<userId>@<domain>. */
  uri: z.string(),
  domain: z.string(),
  wsUrl: z.string(),
  expiresAt: z.iso.datetime(),
});

export const resolveQuery = z.object({
  token: z.string().max(80),
  agent: z.string().max(80),
  callId: z.string().max(256).optional(),
});

export const resolveReply = z.union([
  z.object({ ok: z.literal(true), destination: z.string(), callerId: z.string(), attemptId: z.string() }),
  z.object({ ok: z.literal(false), sipCode: z.number().int(), reason: z.string() }),
]);

export const resolvePracticeQuery = z.object({
  token: z.string().max(80),
  agent: z.string().max(80),
  callId: z.string().min(1).max(256),
});

/** The trainer's user id (the proxy looks up its registered browser), or a refusal. */
export const resolvePracticeReply = z.union([
  z.object({ ok: z.literal(true), trainer: z.uuid(), practiceCallId: z.uuid() }),
  z.object({ ok: z.literal(false), sipCode: z.number().int(), reason: z.string() }),
]);

/** What Kamailio posts for each call event (kamailio.cfg, mq_add in the dialog event routes). */
export const sipEventBody = z.object({
  event: z.enum(['ringing', 'answered', 'ended']),
  attemptId: z.string(),
  callId: z.string().min(1).max(256),
  fromTag: z.string().max(256).optional(),
  toTag: z.string().max(256).optional(),
  /** "<seconds>.<microseconds>" from Kamailio's clock. */
  at: z.string().regex(/^\d+(\.\d+)?$/),
  sipCode: z.number().int().min(100).max(699).optional(),
  cause: z.string().max(40).optional(),
  hungUpBy: z.enum(['agent', 'customer', 'supervisor', 'system']).optional(),
});
export type SipEvent = z.infer<typeof sipEventBody>;
/** What the proxy posts: a batch of events in the order they happened (one event alone is accepted too). */
export const sipEventsBody = z.union([sipEventBody, z.array(sipEventBody).max(500)]);
