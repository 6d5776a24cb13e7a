import fp from 'fastify-plugin';
import { userRoom, type AgentSocket } from '../../plugins/realtime.ts';
import { agentHealthReport } from './schema.ts';
import { AgentHealthStore } from './service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    agentHealth: AgentHealthStore;
  }
}

/** A console's reports are handled at most this often; the latest one in between waits its turn. */
const MIN_INTERVAL_MS = 500;
/** A console that reconnects within this delay keeps its health on the floor. */
const GONE_AFTER_MS = 2000;

/** Trainees' phone/headset health: reports in on `/agent`, the store for the supervisor snapshot. */
export default fp(
  async (app) => {
    const store = new AgentHealthStore(app.redis, app.config.REDIS_PREFIX, app.realtime);
    app.decorate('agentHealth', store);
    app.realtime.agents.on('connection', (socket: AgentSocket) => {
      const { userId } = socket.data.principal;
      let last = 0;
      let pending: unknown;
      let timer: NodeJS.Timeout | null = null;
      const handle = () => {
        timer = null;
        last = Date.now();
        const parsed = agentHealthReport.safeParse(pending);
        if (!parsed.success) return void app.log.warn({ userId, issues: parsed.error.issues.length }, 'invalid health report');
        store.report(userId, parsed.data).catch((err: unknown) => app.log.warn({ err }, 'health report failed'));
      };
      socket.on('health', (payload) => {
        pending = payload;
        if (timer) return;
        const wait = last + MIN_INTERVAL_MS - Date.now();
        if (wait <= 0) handle();
        else timer = setTimeout(handle, wait);
      });
      socket.on('disconnect', () => {
        if (timer) clearTimeout(timer);
        if (app.realtime.closing) return;
        setTimeout(() => {
          void (async () => {
            if ((await app.realtime.agents.in(userRoom(userId)).fetchSockets()).length) return;
            await store.clear(userId);
          })().catch((err: unknown) => app.log.warn({ err }, 'health clear failed'));
        }, GONE_AFTER_MS).unref();
      });
    });
  },
  { name: 'agent-health', dependencies: ['realtime'] },
);
