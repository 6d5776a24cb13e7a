import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { RecordingService } from '../recordings/service.ts';
import { dialerLink } from './dialer-link.ts';
import { PracticeSessions } from '../assessment/practice-session.ts';
import internalSipRoutes from './internal-routes.ts';
import { NgClient } from './ng/client.ts';
import { SipCallRepository } from './repository.ts';
import { TelephonyService } from './service.ts';

import './context.ts';

const RECONCILE_MS = 60_000;
const RETENTION_MS = 3600_000;

/**
 * Telephony services shared by the API modules (credentials, recordings, supervision), the
 * loopback routes Kamailio calls (/internal/sip/*), and two workers: reconciliation of calls
 * left open (server restart, lost event) and recording retention.
 */
export default fp(
  async (app: FastifyInstance) => {
    const [host, port] = app.config.RTPENGINE_NG.split(':') as [string, string];
    const ng = new NgClient(host, Number(port));
    const calls = new SipCallRepository(app.db);
    const recordings = new RecordingService(app.db, app.vault, app.audit, app.config, app.log);
    const service = new TelephonyService(calls, dialerLink(app), new PracticeSessions(app), ng, recordings, app.config, app.log);
    app.decorate('telephony', { service, calls, ng, recordings });
    // Several requests per call from the proxy: no per-request access log (warnings and errors stay).
    await app.register(internalSipRoutes, { prefix: '/internal/sip', telephony: service, logLevel: 'warn' });
    // Before the database closes: let recordings being stored finish.
    app.addHook('preClose', async () => service.drain());
    app.addHook('onClose', async () => {
      ng.close();
      await recordings.close();
    });

    const every = (name: string, ms: number, task: () => Promise<unknown>) =>
      app.workers.register({
        name,
        start: async () => {
          const run = () => void task().catch((err: unknown) => app.log.error({ err, worker: name }, 'worker run failed'));
          run();
          const timer = setInterval(run, ms);
          return { close: async () => clearInterval(timer) };
        },
      });
    every('telephony-reconcile', RECONCILE_MS, () => service.reconcile());
    every('recordings-retention', RETENTION_MS, () => recordings.purgeExpired());
  },
  { name: 'telephony', dependencies: ['vault', 'workers'] },
);
