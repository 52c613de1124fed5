/** GET /healthz: which database is served, its build mode and sizes (counted once at open). */
import type { FastifyPluginCallback } from 'fastify';
import { healthSchema } from '../schemas.js';
import type { RouteOptions } from './options.js';

export const healthRoutes: FastifyPluginCallback<RouteOptions> = (app, { service }, done) => {
  app.get('/healthz', { schema: { summary: 'Database served, build mode, term and cluster counts', tags: ['meta'], response: { 200: healthSchema } } }, () => ({ status: 'ok', ...service.summary }));
  done();
};
