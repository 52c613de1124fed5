/**
 * GET /healthz: which database is served, its build mode and sizes (counted once at open), after
 * reading the database now: a file that can no longer be read answers 503, not a cached "ok".
 */
import type { FastifyPluginCallback } from 'fastify';
import { healthSchema, unavailableSchema } from '../schemas.js';
import type { RouteOptions } from './options.js';

export const healthRoutes: FastifyPluginCallback<RouteOptions> = (app, { service, logError }, done) => {
  app.get(
    '/healthz',
    { schema: { summary: 'Database served, build mode, term and cluster counts; 503 when the database cannot be read', tags: ['meta'], response: { 200: healthSchema, 503: unavailableSchema } } },
    (req, reply) => {
      const problem = service.healthProblem();
      if (problem === null) return { status: 'ok', ...service.summary };
      logError(`503 ${req.method} ${req.url}: ${problem}`);
      return reply.code(503).send({ status: 'unavailable', error: 'unavailable', db: service.summary.db, message: problem });
    },
  );
  done();
};
