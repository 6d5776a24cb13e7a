import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createAssessment } from './service.ts';
import { evaluationRoutes } from './evaluation-routes.ts';
import { followUpRoutes } from './followup-routes.ts';
import { portfolioRoutes } from './portfolio-routes.ts';
import { practiceSessionRoutes } from './practice-session-routes.ts';
import { scorecardRoutes } from './scorecard-routes.ts';
import { traineeRoutes } from './trainee-routes.ts';
import { registerAssessmentWorkers } from './worker.ts';

/**
 * Apprenticeship assessment (CRCD): scorecards, call scoring, trainee's own view, progress,
 * reviews, calibration, practice calls, evidence portfolio, retention. Trainers and admins only,
 * except the trainee's own final evaluations under /me; partners never.
 */
const assessmentRoutes: FastifyPluginAsyncZod = async (app) => {
  const assessment = createAssessment(app);
  registerAssessmentWorkers(app);
  scorecardRoutes(app, assessment);
  evaluationRoutes(app, assessment);
  traineeRoutes(app, assessment);
  followUpRoutes(app, assessment);
  portfolioRoutes(app, assessment);
  practiceSessionRoutes(app, assessment);
};

export default assessmentRoutes;
