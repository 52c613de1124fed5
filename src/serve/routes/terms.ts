/** GET /v1/terms/{term} and GET /v1/clusters/{id}: a term's cluster, senses, antonyms and edges; a cluster by id. */
import type { FastifyPluginCallback } from 'fastify';
import { LIMITS } from '../limits.js';
import { JSON_CONTENT_TYPE, renderTermAnswer } from '../render.js';
import { clusterSchema, errorResponses, limitQuery, termAnswerSchema, termNotFoundSchema, termParam } from '../schemas.js';
import type { RouteOptions } from './options.js';

const limitOnly = { type: 'object', additionalProperties: false, properties: { limit: limitQuery(LIMITS.defaultResults, LIMITS.maxResults) } } as const;

export const termRoutes: FastifyPluginCallback<RouteOptions> = (app, { service }, done) => {
  app.get<{ Params: { term: string }; Querystring: { limit: number } }>(
    '/v1/terms/:term',
    {
      schema: {
        summary: 'Look a term up (any surface form: exact, circumflex-folded or lemmatised)',
        tags: ['terms'],
        params: { type: 'object', properties: { term: termParam }, required: ['term'] },
        querystring: limitOnly,
        response: { 200: termAnswerSchema, 400: errorResponses[400], 404: termNotFoundSchema },
      },
    },
    (req, reply) => {
      const answer = service.query.term(req.params.term, { limit: req.query.limit });
      if (!answer) return reply.code(404).send({ error: 'not_found', message: `no stored term matches "${req.params.term}"`, term: req.params.term, found: false });
      // The body termAnswerSchema describes, written without the schema serializer (see render.ts).
      return reply.type(JSON_CONTENT_TYPE).send(renderTermAnswer(answer));
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit: number } }>(
    '/v1/clusters/:id',
    {
      schema: {
        summary: 'A cluster by id, with its primary members',
        tags: ['clusters'],
        // A digit pattern rather than an integer: ajv's coercion lets '1e400' through as Infinity.
        params: { type: 'object', properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,14}$', description: 'cluster id (positive integer)' } }, required: ['id'] },
        querystring: limitOnly,
        response: { 200: clusterSchema, ...errorResponses },
      },
    },
    (req, reply) => {
      const answer = service.query.clusterById(Number(req.params.id), { limit: req.query.limit });
      if (!answer) return reply.code(404).send({ error: 'not_found', message: `no cluster ${req.params.id}` });
      return answer;
    },
  );
  done();
};
