import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, notFound } from '../../lib/errors.ts';
import { actorOf } from '../../lib/principal.ts';

const staff = ['admin', 'trainer'] as const;

const recordingMeta = z.object({
  id: z.string(),
  attemptId: z.string().nullable(),
  durationMs: z.number(),
  peaks: z.array(z.number()),
  mimeType: z.string(),
  sizeBytes: z.number(),
  createdAt: z.date(),
});

/** Parses a single "bytes=a-b" range; null when absent, throws 416 when unsatisfiable. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) throw new AppError(416, 'RANGE_NOT_SATISFIABLE', 'Plage demandée invalide.');
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) throw new AppError(416, 'RANGE_NOT_SATISFIABLE', 'Plage demandée hors du fichier.');
  return { start, end };
}

const recordingRoutes: FastifyPluginAsyncZod = async (app) => {
  const recordings = app.telephony.recordings;

  app.get('/attempts/:attemptId/recordings', {
    config: { access: { roles: staff } },
    schema: {
      tags: ['recordings'],
      summary: 'Enregistrements d’une tentative d’appel (métadonnées, forme d’onde)',
      params: z.object({ attemptId: z.uuid() }),
      response: { 200: z.object({ recordings: z.array(recordingMeta) }) },
    },
    handler: async (request) => ({ recordings: await recordings.byAttempt(request.params.attemptId) }),
  });

  app.get('/recordings/:id/audio', {
    config: { access: { roles: staff } },
    schema: {
      tags: ['recordings'],
      summary: 'Écoute d’un enregistrement (déchiffré à la volée, requêtes de plage HTTP)',
      params: z.object({ id: z.uuid() }),
      response: { 200: z.any().describe('audio/wav'), 206: z.any().describe('audio/wav (plage)') },
    },
    handler: async (request, reply) => {
      const rec = await recordings.metadata(request.params.id);
      if (!rec) throw notFound('Enregistrement');
      const audio = await recordings.audio(rec);
      const range = parseRange(request.headers.range, audio.length);
      if (!range || range.start === 0) {
        await app.audit.record(actorOf(request.principal, request.ip), {
          action: 'recording.play',
          targetType: 'recording',
          targetId: rec.id,
          details: { attemptId: rec.attemptId, practiceCallId: rec.practiceCallId },
        });
      }
      reply.header('accept-ranges', 'bytes').header('content-type', rec.mimeType).header('cache-control', 'private, no-store');
      if (!range) return reply.header('content-length', audio.length).send(audio);
      return reply
        .status(206)
        .header('content-range', `bytes ${range.start}-${range.end}/${audio.length}`)
        .header('content-length', range.end - range.start + 1)
        .send(audio.subarray(range.start, range.end + 1));
    },
  });
};

export default recordingRoutes;
