import { z } from 'zod';

/** Working-time report of trainees (agent state log), by day or ISO week in the site's zone. */
export const hoursQuery = z
  .object({
    from: z.iso.datetime({ offset: true }),
    to: z.iso.datetime({ offset: true }),
    group: z.enum(['day', 'week']).default('day'),
    format: z.enum(['json', 'csv']).default('json'),
    userId: z.uuid().optional(),
  })
  .refine((q) => new Date(q.to) > new Date(q.from), { message: 'la fin doit suivre le début' })
  .refine((q) => new Date(q.to).getTime() - new Date(q.from).getTime() <= 400 * 86_400_000, { message: 'période limitée à 400 jours' });

export const hoursRow = z.object({
  userId: z.uuid(),
  displayName: z.string(),
  /** First day of the period (YYYY-MM-DD, site time zone). */
  period: z.string(),
  /** Logged-in time (every state but offline). */
  workedMinutes: z.number(),
  /** Ready, offered, dialing, ringing, in call, wrap-up. */
  productiveMinutes: z.number(),
  inCallMinutes: z.number(),
  pausedMinutes: z.number(),
});
export type HoursRow = z.infer<typeof hoursRow>;
export const hoursReply = z.object({ timeZone: z.string(), group: z.enum(['day', 'week']), items: z.array(hoursRow) });

/** GET /api/campaigns/:id/daily: the campaign's calls per day (site time zone), oldest day first. */
export const campaignDailyQuery = z.object({ days: z.coerce.number().int().min(1).max(90).default(14) });
export const campaignDay = z.object({
  /** YYYY-MM-DD in the site's time zone. */
  day: z.string(),
  /** Dialled attempts that day. */
  attempts: z.number().int(),
  /** Distinct contacts reached that day (a conversation: appointment, callback, refusal…). */
  reached: z.number().int(),
  /** Attempts per outcome (the line's or the trainee's disposition). */
  outcomes: z.record(z.string(), z.number().int()),
});
export type CampaignDay = z.infer<typeof campaignDay>;
export const campaignDailyReply = z.object({ timeZone: z.string(), days: z.array(campaignDay) });
export type CampaignDailyReply = z.infer<typeof campaignDailyReply>;
