/** GET /v1/graph/{term}?depth=: the neighbourhood graph the explorer draws, with why each neighbour was kept out. */
import type { FastifyPluginCallback } from 'fastify';
import { LIMITS } from '../limits.js';
import { errorResponses, graphSchema, termParam } from '../schemas.js';
import type { RouteOptions } from './options.js';

export const graphRoutes: FastifyPluginCallback<RouteOptions> = (app, { service }, done) => {
  app.get<{ Params: { term: string }; Querystring: { depth: number; limit: number } }>(
    '/v1/graph/:term',
    {
      schema: {
        summary: "A term's neighbourhood: stored verdicts and cannot-links to a depth",
        tags: ['graph'],
        params: { type: 'object', properties: { term: termParam }, required: ['term'] },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { depth: { type: 'integer', minimum: 0, maximum: LIMITS.maxDepth, default: 1 }, limit: { type: 'integer', minimum: 1, maximum: LIMITS.maxGraphNodes, default: LIMITS.maxGraphNodes } },
        },
        response: { 200: graphSchema, ...errorResponses },
      },
    },
    (req, reply) => {
      const graph = service.graph.neighbourhood(req.params.term, { depth: req.query.depth, maxNodes: req.query.limit });
      if (!graph) return reply.code(404).send({ error: 'not_found', message: `no stored term matches "${req.params.term}"` });
      return graph;
    },
  );
  done();
};
