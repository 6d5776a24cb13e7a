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
  app.decorate('workers', {
    register: (worker: WorkerDefinition) => {
      if (definitions.some((d) => d.name === worker.name)) throw new Error(`worker ${worker.name} registered twice`);
      definitions.push(worker);
    },
    names: () => definitions.map((d) => d.name),
  });
  app.addHook('onReady', async () => {
    if (!app.config.RUN_WORKERS) return;
    for (const def of definitions) {
      running.push({ name: def.name, ...(await def.start(app)) });
      app.log.info({ worker: def.name }, 'worker started');
    }
  });
  app.addHook('onClose', async () => {
    for (const w of running.reverse()) await w.close();
  });
}, { name: 'workers' });
