import fp from 'fastify-plugin';
import { DialerService } from './service.ts';
import { attachAgentSockets, attachSupervisorSockets } from './socket.ts';
import { dialerQueue, scheduleCallback, startDialerWorker } from './worker.ts';

declare module 'fastify' {
  interface FastifyInstance {
    dialer: DialerService;
  }
}

/**
 * The dialer on this instance: its service, the agent/supervisor sockets and its background
 * worker (started by the workers registry when RUN_WORKERS; it first reconciles from Postgres).
 */
export default fp(
  async (app) => {
    const queue = dialerQueue(app);
    const dialer = new DialerService({ db: app.db, vault: app.vault, audit: app.audit, config: app.config, log: app.log, realtime: app.realtime, redis: app.redis }, { scheduleCallback: scheduleCallback(queue) });
    app.decorate('dialer', dialer);
    attachAgentSockets(app, dialer);
    attachSupervisorSockets(app, dialer);
    // An HTTP logout ends the trainee's shift too: offline, a held offer goes back untouched.
    app.auth.onLogout(async (p) => {
      if (p.role === 'trainee') await dialer.logout(p.userId, 'logout');
    });
    app.workers.register({
      name: 'dialer',
      start: async () => {
        await dialer.sweep();
        const worker = await startDialerWorker(app, queue, dialer);
        return { close: () => worker.close() };
      },
    });
    app.addHook('onClose', async () => {
      await dialer.heartbeats.flush().catch((err: unknown) => app.log.warn({ err }, 'last heartbeats not written'));
      await queue.close();
    });
  },
  { name: 'dialer', dependencies: ['realtime', 'vault', 'workers', 'agent-health'] },
);
