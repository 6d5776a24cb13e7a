import type { FastifyPluginAsync } from 'fastify';
import authRoutes from './auth/routes.ts';

/** Every API module, registered under /api by app.ts. */
export const apiModules: FastifyPluginAsync[] = [authRoutes];
