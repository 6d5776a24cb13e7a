import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';

/** A background worker a module contributes (BullMQ consumer, scheduler...). */
export interface WorkerDefinition {
  name: string;
  /** Starts consuming; returns how to stop (called when the app closes). */
  start: (app: FastifyInstance) => Promise<{ close: () => Promise<void> }>;
}

export interface WorkerRegistry {
  /** Modules call this while registering; workers start once the app is ready. */
  register: (worker: WorkerDefinition) => void;
  /** Names of the registered workers (started or not). */
  names: () => string[];
  /** Starts one worker by name, whatever RUN_WORKERS says (tests, dedicated worker processes). */
  start: (name: string) => Promise<{ close: () => Promise<void> }>;
}

declare module 'fastify' {
  interface FastifyInstance {
    workers: WorkerRegistry;
  }
}

/**
 * Registry of background workers. They start only when RUN_WORKERS is true (API-only instances
 * and tests leave it false and start what they need explicitly), and stop when the app closes.
 */
export default fp(async (app) => {
  const definitions: WorkerDefinition[] = [];
  const running: { name: string; close: () => Promise<void> }[] = [];
  const start = async (def: WorkerDefinition) => {
    const handle = await def.start(app);
    let closed = false;
    const entry = {
      name: def.name,
      close: async () => {
        if (closed) return;
        closed = true;
        await handle.close();
      },
    };
    running.push(entry);
    app.log.info({ worker: def.name }, 'worker started');
    return entry;
  };
  app.decorate('workers', {
    register: (worker: WorkerDefinition) => {
      if (definitions.some((d) => d.name === worker.name)) throw new Error(`worker ${worker.name} registered twice`);
      definitions.push(worker);
    },
    names: () => definitions.map((d) => d.name),
    start: async (name: string) => {
      const def = definitions.find((d) => d.name === name);
      if (!def) throw new Error(`no worker named ${name}`);
      return start(def);
    },
  });
  app.addHook('onReady', async () => {
    if (!app.config.RUN_WORKERS) return;
    for (const def of definitions) await start(def);
  });
  app.addHook('onClose', async () => {
    for (const w of running.reverse()) await w.close();
  });
}, { name: 'workers' });
