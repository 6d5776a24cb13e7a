import type { FastifyInstance } from 'fastify';
import { purgeExpiredAssessments } from './service.ts';

const RETENTION_EVERY_MS = 3600_000;

/** Hourly retention sweep; idempotent, so several instances running it is harmless. */
export function registerAssessmentWorkers(app: FastifyInstance): void {
  app.workers.register({
    name: 'assessment-retention',
    start: async (instance) => {
      const run = () =>
        void purgeExpiredAssessments(instance.db, instance.audit)
          .then((counts) => instance.log.info({ worker: 'assessment-retention', ...counts }, 'assessment retention sweep'))
          .catch((err: unknown) => instance.log.error({ err, worker: 'assessment-retention' }, 'assessment retention failed'));
      run();
      const timer = setInterval(run, RETENTION_EVERY_MS);
      return { close: async () => clearInterval(timer) };
    },
  });
}
