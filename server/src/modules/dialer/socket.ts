import { pauseReasons, type PauseReason } from '@passerelle/shared/agent-state';
import { dispositionInput } from '@passerelle/shared/api/campaign-engine';
import type { Ack, SupervisorSnapshot } from '@passerelle/shared/events';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../lib/errors.ts';
import { actorOf } from '../../lib/principal.ts';
import { userRoom, type AgentSocket, type SupervisorSocket } from '../../plugins/realtime.ts';
import { listTeams } from '../teams/service.ts';
import type { DialerService } from './service.ts';

const isPauseReason = (r: unknown): r is PauseReason => typeof r === 'string' && (pauseReasons as readonly string[]).includes(r);

/** Runs an action and answers the client's acknowledgement with `{ ok }` or a stable error code. */
function acked(app: FastifyInstance, action: () => Promise<void>, ack: unknown) {
  const reply: Ack = typeof ack === 'function' ? (ack as Ack) : () => undefined;
  action().then(
    () => reply({ ok: true }),
    (err: unknown) => {
      if (err instanceof AppError) return reply({ ok: false, code: err.code, message: err.message });
      app.log.error({ err }, 'realtime action failed');
      reply({ ok: false, code: 'INTERNAL', message: 'Erreur interne, réessayez.' });
    },
  );
}

const invalid = (message: string) => new AppError(400, 'INVALID_PAYLOAD', message);

/** The trainee console's socket: actions in, state/offers/progress out; a snapshot on every (re)connect. */
export function attachAgentSockets(app: FastifyInstance, dialer: DialerService) {
  const recheckMs = app.config.SOCKET_SESSION_RECHECK_S * 1000;
  app.realtime.agents.on('connection', (socket: AgentSocket) => {
    const { userId } = socket.data.principal;
    // Spread over the interval: consoles that (re)connected together must not all recheck at once.
    let checkedAt = Date.now() - Math.random() * recheckMs;
    dialer.connect(userId).then(
      (snapshot) => socket.emit('snapshot', snapshot),
      (err: unknown) => {
        app.log.error({ err }, 'agent snapshot failed');
        socket.disconnect(true);
      },
    );
    socket.on('ready', (ack) => acked(app, () => dialer.ready(userId), ack));
    socket.on('pause', (p, ack) =>
      acked(app, async () => {
        if (!isPauseReason(p?.reason)) throw invalid('Motif de pause inconnu.');
        await dialer.pause(userId, p.reason);
      }, ack),
    );
    socket.on('offer:skip', (p, ack) =>
      acked(app, async () => {
        if (typeof p?.attemptId !== 'string' || typeof p.reason !== 'string' || !p.reason.trim()) throw invalid('Motif requis pour passer une proposition.');
        await dialer.skip(userId, p.attemptId, p.reason.trim());
      }, ack),
    );
    socket.on('disposition', (p, ack) =>
      acked(app, async () => {
        const parsed = dispositionInput.safeParse(p?.disposition);
        if (typeof p?.attemptId !== 'string' || !parsed.success) throw invalid('Qualification incomplète ou invalide.');
        await dialer.dispose(userId, p.attemptId, parsed.data);
      }, ack),
    );
    socket.on('call:hangup', (p, ack) =>
      acked(app, async () => {
        if (typeof p?.attemptId !== 'string') throw invalid('Appel inconnu.');
        if (!(await app.telephony.service.hangupLostLine(p.attemptId, userId))) throw new AppError(409, 'NO_LIVE_CALL', 'Cet appel est déjà terminé.');
      }, ack),
    );
    socket.on('logout', (ack) => acked(app, () => dialer.logout(userId, 'logout'), ack));
    socket.on('snapshot:get', (ack) => {
      if (typeof ack === 'function') void dialer.agentSnapshot(userId).then(ack, (err: unknown) => app.log.error({ err }, 'snapshot failed'));
    });
    const warn = (err: unknown) => app.log.warn({ err }, 'heartbeat handling failed');
    socket.on('heartbeat', () => {
      dialer.heartbeat(userId);
      if (Date.now() - checkedAt < recheckMs) return;
      checkedAt = Date.now();
      // The socket lives as long as its session: a logout or an expiry closes it. Only the
      // trainee's own activity (the console touches the session) keeps it alive, not heartbeats.
      app.auth
        .resolveSession(socket.data.token, socket.data.ip, { touch: false })
        .then((p) => {
          if (!p) socket.disconnect(true);
        })
        .catch(warn);
    });
    socket.on('disconnect', () => {
      // A console gone while merely ready or offered hands its offer back at once; during a call
      // the heartbeat timeout decides (the call may still be up and the console reconnecting).
      if (app.realtime.closing) return;
      setTimeout(() => {
        void (async () => {
          const others = await app.realtime.agents.in(userRoom(userId)).fetchSockets();
          if (others.length) return;
          const agent = await dialer.agents.get(userId);
          if (agent && (agent.status === 'ready' || agent.status === 'offered')) await dialer.heartbeatLost(userId);
        })().catch((err: unknown) => app.log.warn({ err }, 'disconnect handling failed'));
      }, 2000).unref();
    });
  });
}

/** Supervisors: full snapshot, then every change; force pause / logout (audited). */
export function attachSupervisorSockets(app: FastifyInstance, dialer: DialerService) {
  // The dialer's floor plus the phone/headset health of the trainees online and the training groups.
  const supervisorSnapshot = async (): Promise<SupervisorSnapshot> => {
    const [floor, teams] = await Promise.all([dialer.supervisorSnapshot(), listTeams(app.db)]);
    const health = await app.agentHealth.list(floor.agents.filter((a) => a.status !== 'offline').map((a) => a.userId));
    return { ...floor, health, teams: teams.map(({ id, name, traineeIds }) => ({ id, name, traineeIds })) };
  };
  app.realtime.supervisors.on('connection', (socket: SupervisorSocket) => {
    const actor = actorOf(socket.data.principal, socket.data.ip);
    supervisorSnapshot().then(
      (snapshot) => socket.emit('snapshot', snapshot),
      (err: unknown) => app.log.error({ err }, 'supervisor snapshot failed'),
    );
    socket.on('agent:force_pause', (p, ack) =>
      acked(app, async () => {
        if (typeof p?.userId !== 'string' || !isPauseReason(p.reason)) throw invalid('Conseiller ou motif invalide.');
        await dialer.forcePause(actor, p.userId, p.reason);
      }, ack),
    );
    socket.on('agent:force_logout', (p, ack) =>
      acked(app, async () => {
        if (typeof p?.userId !== 'string') throw invalid('Conseiller invalide.');
        await dialer.logout(p.userId, 'force_logout', actor);
      }, ack),
    );
    socket.on('snapshot:get', (ack) => {
      if (typeof ack === 'function') void supervisorSnapshot().then(ack, (err: unknown) => app.log.error({ err }, 'snapshot failed'));
    });
  });
}
