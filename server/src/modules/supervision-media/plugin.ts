import fp from 'fastify-plugin';
import type { AgentSocket, SupervisorSocket } from '../../plugins/realtime.ts';
import '../telephony/context.ts';
import { SupervisionMedia } from './service.ts';
import { SupervisionSessions } from './sessions.ts';

declare module 'fastify' {
  interface FastifyInstance {
    supervision: { sessions: SupervisionSessions; media: SupervisionMedia };
  }
}

const SWEEP_MS = 15_000;

/**
 * Live supervision on this instance: the sessions registry, its ends (trainer's socket gone, call
 * ended, sweep for what a dead instance left) and the whisper notice to a reconnecting trainee.
 */
export default fp(
  async (app) => {
    const sessions = new SupervisionSessions({ db: app.db, audit: app.audit, realtime: app.realtime, ng: app.telephony.ng, log: app.log });
    const media = new SupervisionMedia(app.telephony.calls, app.telephony.ng, sessions, app.realtime);
    app.decorate('supervision', { sessions, media });
    const warn = (what: string) => (err: unknown) => app.log.warn({ err }, what);

    app.telephony.service.onEnded((call) => sessions.endByCall(call.callId));
    app.realtime.supervisors.on('connection', (socket: SupervisorSocket) => {
      // Shutting down: the sockets move to another instance, whose sweep ends these sessions.
      socket.on('disconnect', () => {
        if (!app.realtime.closing) sessions.endBySocket(socket.id).catch(warn('ending supervision of a lost socket failed'));
      });
    });
    app.realtime.agents.on('connection', (socket: AgentSocket) => {
      media
        .whisperNotice(socket.data.principal.userId)
        .then((notice) => notice && socket.emit('supervision:whisper', notice))
        .catch(warn('whisper notice failed'));
    });
    app.workers.register({
      name: 'supervision-sweep',
      start: async () => {
        const run = () => void sessions.sweep().catch(warn('supervision sweep failed'));
        run();
        const timer = setInterval(run, SWEEP_MS);
        return { close: async () => clearInterval(timer) };
      },
    });
  },
  { name: 'supervision', dependencies: ['realtime', 'telephony', 'workers'] },
);
