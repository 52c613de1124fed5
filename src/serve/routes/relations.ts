/** GET /v1/relations?a=&b=: the stored verdict (probabilities, label, gate) and cannot-link between two terms. */
import type { FastifyPluginCallback } from 'fastify';
import { errorResponses, relationAnswerSchema, termParam } from '../schemas.js';
import type { RouteOptions } from './options.js';

export const relationRoutes: FastifyPluginCallback<RouteOptions> = (app, { service }, done) => {
  app.get<{ Querystring: { a: string; b: string } }>(
    '/v1/relations',
    {
      schema: {
        summary: 'Stored verdict between two terms',
        tags: ['relations'],
        querystring: { type: 'object', additionalProperties: false, properties: { a: termParam, b: termParam }, required: ['a', 'b'] },
        response: { 200: relationAnswerSchema, ...errorResponses },
      },
    },
    (req, reply) => {
      const answer = service.query.relation(req.query.a, req.query.b);
      if (answer === null) return reply.code(404).send({ error: 'not_found', message: `no stored verdict between "${req.query.a}" and "${req.query.b}"` });
      if ('unknown' in answer) return reply.code(404).send({ error: 'not_found', message: `no stored term matches "${answer.unknown}"` });
      return answer;
    },
  );
  done();
};
