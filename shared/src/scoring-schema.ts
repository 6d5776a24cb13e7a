import { z } from 'zod';
import { gridProblems, type ScorecardGrid } from './scoring.ts';

/** Validation of scorecard grids (server side; the consoles use the pure scoring.ts only). */
const criterionSchema = z.object({
  id: z.string().min(1).max(60),
  label: z.string().min(1),
  description: z.string().default(''),
  weight: z.number().positive(),
  critical: z.boolean().default(false),
  allowNa: z.boolean().default(false),
  descriptors: z.record(z.string(), z.string()).default({}),
});

export const scorecardGridSchema = z
  .object({
    blocks: z.array(z.object({ code: z.string().min(1), label: z.string().min(1) })).min(1),
    scale: z.array(z.object({ value: z.number().int(), label: z.string().min(1), descriptor: z.string().min(1) })).min(2),
    passScore: z.number(),
    critical: z.object({ threshold: z.number(), cap: z.number() }),
    competencies: z
      .array(z.object({ id: z.string().min(1).max(60), block: z.string().min(1), label: z.string().min(1), weight: z.number().positive(), criteria: z.array(criterionSchema).min(1) }))
      .min(1),
    commentFields: z.array(z.object({ id: z.string().min(1), label: z.string().min(1) })).default([]),
  })
  .superRefine((g, ctx) => {
    for (const problem of gridProblems(g)) ctx.addIssue({ code: 'custom', message: problem });
  });

// The schema's output is exactly the pure type.
export type _GridCheck = [ScorecardGrid extends z.output<typeof scorecardGridSchema> ? true : never, z.output<typeof scorecardGridSchema> extends ScorecardGrid ? true : never];
