import { z } from 'zod';
import type { AgentHealth } from '@passerelle/shared/agent-health';

const round = (digits: number) => (v: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** The console's report, strict: unknown fields are refused, figures bounded and rounded. */
export const agentHealthReport = z.strictObject({
  sip: z.enum(['registered', 'connecting', 'failed', 'stopped']),
  mic: z.enum(['ok', 'muted', 'missing']),
  call: z
    .strictObject({
      packetLossPct: z.number().min(0).max(100).transform(round(1)),
      jitterMs: z.number().min(0).max(10_000).transform(round(0)),
      rttMs: z.number().min(0).max(60_000).transform(round(0)).nullable(),
      micLevel: z.number().min(0).max(1).transform(round(2)).nullable(),
    })
    .nullable(),
}) satisfies z.ZodType<AgentHealth, unknown>;
