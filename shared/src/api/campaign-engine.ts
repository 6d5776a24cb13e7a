import { z } from 'zod';
import { campaign, type CampaignType } from './campaigns.ts';
import { languageCode } from './admin.ts';
import { DEFAULT_RETRY_RULES, defaultWindows, validateWindows, type CallingWindow, type RetryRules } from '../calling-rules.ts';

/**
 * Campaign engine (issue 4): dialing settings, status machine, script, dispositions and slots.
 * Extends the campaign shell's schemas (`./campaigns.ts`) rather than redefining them.
 */

const id = z.uuid();
const isoDate = z.iso.datetime();
const day = z.iso.date();

export const dialingModes = ['preview', 'progressive'] as const;
export type DialingMode = (typeof dialingModes)[number];

export const campaignStatuses = ['draft', 'ready', 'running', 'paused', 'finished', 'archived'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

/** draft → ready → running ⇄ paused → finished → archived (ready may go back to draft for edits). */
export const campaignStatusTransitions: Record<CampaignStatus, readonly CampaignStatus[]> = {
  draft: ['ready'],
  ready: ['draft', 'running'],
  running: ['paused', 'finished'],
  paused: ['running', 'finished'],
  finished: ['archived'],
  archived: [],
};

export const callingWindowSchema = z.object({
  days: z.array(z.number().int().min(1).max(7)).min(1),
  start: z.string().regex(/^\d{2}:\d{2}$/),
  end: z.string().regex(/^\d{2}:\d{2}$/),
}) satisfies z.ZodType<CallingWindow>;

const minutes = z.number().int().min(1).max(60 * 24 * 14);
export const retryRulesSchema = z.object({
  delayMinutes: z.object({ no_answer: minutes, busy: minutes, voicemail: minutes, failed: minutes }),
  maxAttempts: z.number().int().min(1).max(20),
}) satisfies z.ZodType<RetryRules>;

export const scriptStepKinds = ['legal_opening', 'recording_notice', 'step', 'closing'] as const;
export const scriptStepSchema = z.object({
  kind: z.enum(scriptStepKinds),
  title: z.string().trim().min(1).max(120),
  text: z.string().trim().min(1).max(4000),
});
export const objectionSchema = z.object({
  objection: z.string().trim().min(1).max(300),
  answer: z.string().trim().min(1).max(2000),
});
/** Ordered steps; the legal opening (who calls, for whom, why) and the recording notice are mandatory. */
export const scriptSchema = z
  .object({ steps: z.array(scriptStepSchema).min(2).max(50), objections: z.array(objectionSchema).max(50).default([]) })
  .refine((s) => s.steps.some((x) => x.kind === 'legal_opening') && s.steps.some((x) => x.kind === 'recording_notice'), {
    message: 'Le script doit contenir l’annonce légale (qui appelle, pour qui, pourquoi) et l’avis d’enregistrement.',
  });
export type Script = z.infer<typeof scriptSchema>;

export const defaultScript: Script = {
  steps: [
    { kind: 'legal_opening', title: 'Présentation', text: 'Bonjour, je suis conseiller du centre de relation client Passerelle et je vous appelle pour le compte de notre partenaire, au sujet de…' },
    { kind: 'recording_notice', title: 'Enregistrement', text: 'Cet appel est susceptible d’être enregistré à des fins de qualité et de formation.' },
    { kind: 'step', title: 'Objet de l’appel', text: 'Exposer l’objet de l’appel et vérifier la disponibilité de la personne.' },
    { kind: 'closing', title: 'Conclusion', text: 'Reformuler, remercier et prendre congé.' },
  ],
  objections: [],
};

// ---------------------------------------------------------------- dispositions

export const dispositionCodes = [
  'appointment',
  'callback',
  'sale',
  'renewal',
  'ticket_solved',
  'ticket_escalated',
  'not_interested',
  'wrong_number',
  'opt_out',
  'no_answer',
  'busy',
  'voicemail',
] as const;
export type DispositionCode = (typeof dispositionCodes)[number];

const common: DispositionCode[] = ['callback', 'not_interested', 'wrong_number', 'opt_out', 'no_answer', 'busy', 'voicemail'];
/** The disposition set each campaign type offers by default (a campaign may narrow it). */
export const dispositionsByType: Record<CampaignType, readonly DispositionCode[]> = {
  appointment: ['appointment', ...common],
  loyalty: ['sale', 'renewal', ...common],
  after_sales: ['ticket_solved', 'ticket_escalated', ...common],
};

/** Outcomes reaching the customer (for the contact rate). */
export const reachedOutcomes: readonly DispositionCode[] = ['appointment', 'callback', 'sale', 'renewal', 'ticket_solved', 'ticket_escalated', 'not_interested', 'opt_out'];

export const appointmentChannels = ['onsite', 'phone', 'video'] as const;
const note = z.string().trim().max(1000).optional();

/** What the trainee submits after a call; the form depends on the code. */
export const dispositionInput = z.discriminatedUnion('code', [
  z.object({ code: z.literal('appointment'), slotId: id, channel: z.enum(appointmentChannels), note }),
  z.object({ code: z.literal('callback'), at: isoDate, reservedToMe: z.boolean(), note }),
  z.object({ code: z.enum(['sale', 'renewal']), product: z.string().trim().min(1).max(200), amountCents: z.number().int().min(0).max(100_000_000).optional(), note }),
  z.object({ code: z.enum(['ticket_solved', 'ticket_escalated']), ticketRef: z.string().trim().max(100).optional(), note }),
  z.object({ code: z.enum(['not_interested', 'wrong_number', 'opt_out', 'no_answer', 'busy', 'voicemail']), note }),
]);
export type DispositionInput = z.infer<typeof dispositionInput>;

// ---------------------------------------------------------------- settings

export const dialerSettings = z.object({
  dialingMode: z.enum(dialingModes),
  startsOn: day.nullable(),
  endsOn: day.nullable(),
  windows: z.array(callingWindowSchema).max(20),
  retryRules: retryRulesSchema,
  /** Number presented to the callee (E.164), owned by the partner or verified; never masked. */
  callerId: z.string().regex(/^\+[1-9]\d{6,14}$/, 'numéro E.164 attendu (ex. +590947500000)').nullable(),
  requiredLanguage: languageCode.nullable(),
  script: scriptSchema,
  dispositions: z.array(z.enum(dispositionCodes)).min(1),
  /** After-call work limit, then the attempt is closed with its technical outcome. */
  wrapUpSeconds: z.number().int().min(10).max(1800),
  /** How long an offer (and its call token) stays valid before the contact is returned. */
  offerTtlSeconds: z.number().int().min(15).max(600),
  /** Progressive mode: visible countdown before the console dials. */
  countdownSeconds: z.number().int().min(2).max(60),
});
export type DialerSettings = z.infer<typeof dialerSettings>;

export function defaultDialerSettings(type: CampaignType): DialerSettings {
  return {
    dialingMode: 'preview',
    startsOn: null,
    endsOn: null,
    windows: defaultWindows(type),
    retryRules: DEFAULT_RETRY_RULES,
    callerId: null,
    requiredLanguage: null,
    script: defaultScript,
    dispositions: [...dispositionsByType[type]],
    wrapUpSeconds: 120,
    offerTtlSeconds: 120,
    countdownSeconds: 5,
  };
}

/** Cross-field rules (French messages): lawful windows, dispositions of the type, dates in order. */
export function settingsErrors(type: CampaignType, s: DialerSettings): string[] {
  const errors = validateWindows(type, s.windows);
  const allowed = dispositionsByType[type];
  const foreign = s.dispositions.filter((d) => !allowed.includes(d));
  if (foreign.length) errors.push(`Qualifications non prévues pour ce type de campagne : ${foreign.join(', ')}.`);
  if (s.startsOn && s.endsOn && s.startsOn > s.endsOn) errors.push('La date de fin précède la date de début.');
  return errors;
}

/** A campaign as the engine shows it: the shell's identity fields plus status, settings and trainees. */
export const campaignEngine = campaign.pick({ id: true, partnerId: true, name: true, type: true, endedAt: true }).extend({
  status: z.enum(campaignStatuses),
  ...dialerSettings.shape,
  traineeIds: z.array(id),
});
export type CampaignEngine = z.infer<typeof campaignEngine>;

export const updateDialerSettingsBody = dialerSettings.partial();
export type UpdateDialerSettingsBody = z.input<typeof updateDialerSettingsBody>;

export const campaignTransitionBody = z.object({ to: z.enum(campaignStatuses), reason: z.string().trim().max(300).optional() });
export const assignTraineesBody = z.object({ traineeIds: z.array(id).max(500) });

// ---------------------------------------------------------------- appointment slots

export const appointmentSlot = z.object({
  id,
  partnerId: id,
  campaignId: id.nullable(),
  startsAt: isoDate,
  endsAt: isoDate,
  channel: z.enum(appointmentChannels),
  place: z.string().nullable(),
  capacity: z.number().int(),
  booked: z.number().int(),
});
export type AppointmentSlot = z.infer<typeof appointmentSlot>;

export const createSlotsBody = z.object({
  slots: z
    .array(
      z.object({
        startsAt: isoDate,
        endsAt: isoDate,
        channel: z.enum(appointmentChannels),
        place: z.string().trim().max(200).nullable().default(null),
        capacity: z.number().int().min(1).max(100).default(1),
      }),
    )
    .min(1)
    .max(500),
});
export const slotsReply = z.object({ items: z.array(appointmentSlot) });
