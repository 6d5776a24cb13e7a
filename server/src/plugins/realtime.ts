import fp from 'fastify-plugin';
import { Server, type Namespace, type Socket } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type {
  AgentClientToServer,
  FloorUpdates,
  AgentServerToClient,
  PartnerClientToServer,
  PartnerServerToClient,
  SupervisorClientToServer,
  SupervisorServerToClient,
} from '@passerelle/shared/events';
import { namespaces } from '@passerelle/shared/events';
import type { Role } from '@passerelle/shared/roles';
import type { Principal } from '../lib/principal.ts';
import { ipInRanges, normalizeIp } from '../lib/ip.ts';
import { SESSION_COOKIE } from './auth.ts';
import { FloorFeed } from './floor-feed.ts';

export type SessionPrincipal = Extract<Principal, { kind: 'session' }>;
export interface SocketData {
  principal: SessionPrincipal;
  ip: string;
  token: string;
}

export type AgentNamespace = Namespace<AgentClientToServer, AgentServerToClient, Record<string, never>, SocketData>;
export type SupervisorNamespace = Namespace<SupervisorClientToServer, SupervisorServerToClient, Record<string, never>, SocketData>;
export type PartnerNamespace = Namespace<PartnerClientToServer, PartnerServerToClient, Record<string, never>, SocketData>;
export type AgentSocket = Socket<AgentClientToServer, AgentServerToClient, Record<string, never>, SocketData>;
export type SupervisorSocket = Socket<SupervisorClientToServer, SupervisorServerToClient, Record<string, never>, SocketData>;

type Args<M, E extends keyof M> = M[E] extends (...args: infer A) => void ? A : never;
/** What modules send to supervisors: floor changes (batched into `floor:batch`) and the direct events. */
export type SupervisorEmits = Omit<SupervisorServerToClient, 'floor:batch'> & { [E in keyof FloorUpdates]: (p: FloorUpdates[E]) => void };
const floorEvents = new Set<string>(['agent:state', 'attempt:update', 'attempt:closed', 'campaign:counters'] satisfies (keyof FloorUpdates)[]);

/** Emitting side of realtime, usable from any instance (the Redis adapter fans out). */
export interface Realtime {
  io: Server;
  agents: AgentNamespace;
  supervisors: SupervisorNamespace;
  partners: PartnerNamespace;
  toAgent<E extends keyof AgentServerToClient>(userId: string, event: E, ...args: Args<AgentServerToClient, E>): void;
  /** Floor changes are coalesced per instance and sent as one `floor:batch` every FLOOR_BATCH_MS. */
  toSupervisors<E extends keyof SupervisorEmits>(event: E, ...args: Args<SupervisorEmits, E>): void;
  toPartner<E extends keyof PartnerServerToClient>(partnerId: string, event: E, ...args: Args<PartnerServerToClient, E>): void;
  /** Disconnects a user's sockets on every instance (logout, forced logout). */
  disconnectUser(userId: string): void;
  /** True once the app is shutting down: nothing is emitted any more. */
  readonly closing: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    realtime: Realtime;
  }
}

export const userRoom = (userId: string) => `user:${userId}`;
export const partnerRoom = (partnerId: string) => `partner:${partnerId}`;

const cookieValue = (header: string | undefined, name: string) =>
  header
    ?.split(';')
    .map((p) => p.trim().split('='))
    .find(([k]) => k === name)?.[1];

/**
 * socket.io 4 on the Fastify server, with the Redis adapter so that any instance can reach any
 * socket. Sockets authenticate with the session cookie; each namespace admits its roles only.
 */
export default fp(
  async (app) => {
    const io = new Server(app.server, { serveClient: false, transports: ['websocket', 'polling'], pingInterval: 10_000, pingTimeout: 8_000 });
    // Emits of one tick (a call event reaches the trainee and the floor) leave in one write.
    const pub = app.redis.duplicate({ enableAutoPipelining: true });
    const sub = app.redis.duplicate();
    pub.on('error', (err) => app.log.warn({ err: err.message }, 'realtime redis pub error'));
    sub.on('error', (err) => app.log.warn({ err: err.message }, 'realtime redis sub error'));
    io.adapter(createAdapter(pub, sub, { key: `${app.config.REDIS_PREFIX}:sio` }));

    const trusted = app.config.TRUST_PROXY ? app.config.TRUST_PROXY.split(',').map((s) => s.trim()) : [];
    const clientIp = (socket: Socket) => {
      const remote = normalizeIp(socket.handshake.address)?.toString() ?? socket.handshake.address;
      const forwarded = socket.handshake.headers['x-forwarded-for'];
      if (!trusted.length || typeof forwarded !== 'string' || !ipInRanges(remote, trusted)) return remote;
      // Rightmost address not added by one of our proxies.
      const hops = forwarded.split(',').map((s) => s.trim()).reverse();
      return hops.find((h) => !ipInRanges(h, trusted)) ?? remote;
    };

    const guard = (roles: readonly Role[]) => async (socket: Socket, next: (err?: Error) => void) => {
      try {
        const token = cookieValue(socket.handshake.headers.cookie, SESSION_COOKIE);
        const ip = clientIp(socket);
        const principal = token && token.length < 200 ? await app.auth.resolveSession(decodeURIComponent(token), ip, { touch: false }) : null;
        if (!principal || principal.kind !== 'session') return next(new Error('UNAUTHENTICATED'));
        if (!roles.includes(principal.role)) return next(new Error('FORBIDDEN'));
        socket.data = { principal, ip, token: decodeURIComponent(token!) } satisfies SocketData;
        await socket.join(userRoom(principal.userId));
        if (principal.partnerId) await socket.join(partnerRoom(principal.partnerId));
        next();
      } catch (err) {
        app.log.warn({ err }, 'socket authentication failed');
        next(new Error('UNAUTHENTICATED'));
      }
    };

    const agents = io.of(namespaces.agent) as unknown as AgentNamespace;
    const supervisors = io.of(namespaces.supervisor) as unknown as SupervisorNamespace;
    const partners = io.of(namespaces.partner) as unknown as PartnerNamespace;
    // The typed maps are enforced by the Realtime signatures; emitting goes through the untyped core.
    let closing = false;
    const emitter = (target: unknown) =>
      closing ? { emit: () => false } : (target as { emit(event: string, ...args: unknown[]): boolean });
    agents.use(guard(['trainee']));
    supervisors.use(guard(['trainer', 'admin']));
    partners.use(guard(['partner']));
    partners.on('connection', (socket) => {
      socket.emit('snapshot', { serverTime: new Date().toISOString(), partnerId: socket.data.principal.partnerId! });
    });

    const floor = new FloorFeed((batch) => emitter(supervisors).emit('floor:batch', batch));
    const realtime: Realtime = {
      io,
      agents,
      supervisors,
      partners,
      toAgent: (userId, event, ...args) => void emitter(agents.to(userRoom(userId))).emit(event, ...args),
      toSupervisors: (event, ...args) => {
        if (closing) return;
        if (floorEvents.has(event)) floor.add(event as keyof FloorUpdates, args[0] as FloorUpdates[keyof FloorUpdates]);
        else emitter(supervisors).emit(event, ...args);
      },
      toPartner: (partnerId, event, ...args) => void emitter(partners.to(partnerRoom(partnerId))).emit(event, ...args),
      disconnectUser: (userId) => {
        if (closing) return;
        for (const ns of [agents, supervisors, partners] as Namespace[]) ns.in(userRoom(userId)).disconnectSockets(true);
      },
      get closing() {
        return closing;
      },
    };
    app.decorate('realtime', realtime);

    app.addHook('preClose', async () => {
      closing = true;
      floor.stop();
      for (const ns of [agents, supervisors, partners] as Namespace[]) ns.local.disconnectSockets(true);
    });
    app.addHook('onClose', async () => {
      // The HTTP server is closed by Fastify; only the engine and the adapter's clients are ours.
      io.engine.close();
      pub.disconnect();
      sub.disconnect();
    });
  },
  { name: 'realtime' },
);
