import type { FastifyPluginAsync } from 'fastify';
import authRoutes from './auth/routes.ts';
import telephonyRoutes from './telephony/routes.ts';
import recordingRoutes from './recordings/routes.ts';
import supervisionMediaRoutes from './supervision-media/routes.ts';
import usersRoutes from './users/routes.ts';
import sitesRoutes from './sites/routes.ts';
import partnersRoutes from './partners/routes.ts';
import auditRoutes from './audit/routes.ts';
import campaignRoutes from './campaigns/routes.ts';
import contactRoutes from './contacts/routes.ts';
import blocklistRoutes from './blocklists/routes.ts';
import assessmentRoutes from './assessment/routes.ts';
import retentionRoutes from './retention/routes.ts';
import importRoutes from './imports/routes.ts';
import campaignEngineRoutes from './campaign-engine/routes.ts';
import reportRoutes from './reports/routes.ts';
import helpRequestRoutes from './help-requests/routes.ts';
import dialerRoutes from './dialer/routes.ts';
import teamsRoutes from './teams/routes.ts';

/** Every API module, registered under /api by app.ts. */
export const apiModules: FastifyPluginAsync[] = [authRoutes, usersRoutes, sitesRoutes, partnersRoutes, auditRoutes, campaignRoutes, contactRoutes, blocklistRoutes, retentionRoutes, importRoutes, telephonyRoutes, recordingRoutes, supervisionMediaRoutes, assessmentRoutes, campaignEngineRoutes, reportRoutes, helpRequestRoutes, dialerRoutes, teamsRoutes];
