/** POST /v1/expand: retrieval expansions for a list of terms or a free-text query. */
import type { FastifyPluginCallback } from 'fastify';
import { JSON_CONTENT_TYPE, renderExpandAnswer } from '../render.js';
import { errorResponses, expandAnswerSchema, expandBodySchema } from '../schemas.js';
import type { RouteOptions } from './options.js';

interface ExpandBody {
  terms?: string[];
  query?: string;
  limit?: number;
  minSupport?: number;
  senses?: boolean;
}

export const expandRoutes: FastifyPluginCallback<RouteOptions> = (app, { service }, done) => {
  app.post<{ Body: ExpandBody }>(
    '/v1/expand',
    {
      schema: {
        summary: 'Expand terms or a free-text query into weighted synonyms (never antonyms)',
        tags: ['expand'],
        body: expandBodySchema,
        response: { 200: expandAnswerSchema, 400: errorResponses[400] },
      },
    },
    (req, reply) => {
      const { terms, query, limit, minSupport, senses } = req.body;
      const options = { limit, minSupport, senses };
      const results = terms ? service.expander.expandTerms(terms, options) : service.expander.expandQuery(query ?? '', options);
      // The body expandAnswerSchema describes, written without the schema serializer (see render.ts).
      return reply.type(JSON_CONTENT_TYPE).send(renderExpandAnswer(results));
    },
  );
  done();
};
