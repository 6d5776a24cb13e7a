import { z } from 'zod';
import { notFound } from '../../lib/errors.ts';
import type { Assessment } from './service.ts';
import { evaluationSummary, idParams, myEvaluation, notificationReply, progressQuery, progressReply } from './schemas.ts';
import { traineeOnly, userActor, type ZodApp } from './http.ts';
import { slicePeaks, sliceWav } from './wav.ts';

/** A trainee's own final evaluations and progress, read only ("Ma progression"). */
export function traineeRoutes(app: ZodApp, a: Assessment): void {
  /** The caller's own final evaluation, or 404 (another trainee's, a draft, a calibration scoring). */
  const ownFinal = async (userId: string, id: string) => {
    const ev = await a.evaluations.row(id).catch(() => null);
    if (!ev || ev.traineeId !== userId || ev.status !== 'final' || ev.calibrationSessionId) throw notFound('Évaluation');
    return a.evaluations.detail(id);
  };
  const excerptOf = (d: Awaited<ReturnType<typeof ownFinal>>) => {
    if (!d.shareExcerpt || !d.recording) return null;
    const startMs = d.excerptStartMs ?? 0;
    const endMs = d.excerptEndMs ?? d.recording.durationMs;
    return { startMs, endMs, peaks: slicePeaks(d.recording.peaks, d.recording.durationMs, startMs, endMs) };
  };

  app.get('/me/evaluations', {
    config: { access: traineeOnly },
    schema: { tags: ['assessment'], summary: 'Mes évaluations définitives', response: { 200: z.object({ evaluations: z.array(evaluationSummary) }) } },
    handler: async (request) => ({ evaluations: await a.evaluations.list({ traineeId: userActor(request).userId, status: 'final', limit: 500 }) }),
  });

  app.get('/me/evaluations/:id', {
    config: { access: traineeOnly },
    schema: { tags: ['assessment'], summary: 'Une de mes évaluations (scores, commentaires, moments commentés)', params: idParams, response: { 200: myEvaluation } },
    handler: async (request) => {
      const actor = userActor(request);
      const d = await ownFinal(actor.userId, request.params.id);
      await app.db.updateTable('assessmentNotifications').set({ readAt: new Date() }).where('userId', '=', actor.userId).where('evaluationId', '=', d.id).where('readAt', 'is', null).execute();
      await app.audit.record(actor, { action: 'evaluation.view', targetType: 'evaluation', targetId: d.id, details: { own: true } });
      return { ...d, excerpt: excerptOf(d) };
    },
  });

  app.get('/me/evaluations/:id/excerpt', {
    config: { access: traineeOnly },
    schema: { tags: ['assessment'], summary: 'Écouter l’extrait de mon appel partagé par le formateur (audio/wav)', params: idParams, response: { 200: z.any().describe('audio/wav') } },
    handler: async (request, reply) => {
      const actor = userActor(request);
      const d = await ownFinal(actor.userId, request.params.id);
      const excerpt = excerptOf(d);
      const rec = excerpt ? await a.evaluations.recordingOf(d) : null;
      if (!excerpt || !rec) throw notFound('Extrait');
      const audio = sliceWav(await app.telephony.recordings.audio(rec), excerpt.startMs, excerpt.endMs);
      await app.audit.record(actor, { action: 'recording.excerpt_play', targetType: 'recording', targetId: rec.id, details: { evaluationId: d.id, startMs: excerpt.startMs, endMs: excerpt.endMs } });
      return reply.header('content-type', 'audio/wav').header('cache-control', 'private, no-store').header('content-length', audio.length).send(audio);
    },
  });

  app.get('/me/progress', {
    config: { access: traineeOnly },
    schema: { tags: ['assessment'], summary: 'Ma progression (moyenne, tendance, points forts, axes de progrès, objectifs)', querystring: progressQuery, response: { 200: progressReply } },
    handler: async (request) => a.progress.trainee(userActor(request).userId, request.query),
  });

  app.get('/me/assessment-notifications', {
    config: { access: traineeOnly },
    schema: { tags: ['assessment'], summary: 'Mes avis d’évaluation (non lus d’abord)', response: { 200: notificationReply } },
    handler: async (request) => ({
      notifications: await app.db
        .selectFrom('assessmentNotifications')
        .select(['id', 'kind', 'evaluationId', 'createdAt', 'readAt'])
        .where('userId', '=', userActor(request).userId)
        .orderBy('readAt', (ob) => ob.desc().nullsFirst())
        .orderBy('createdAt', 'desc')
        .limit(100)
        .execute(),
    }),
  });
}
