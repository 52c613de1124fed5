/**
 * The HTTP API and the web explorer on one Fastify instance: every route validated by its JSON
 * schema, every error a `{"error", "message"}` 4xx, bodies and URLs bounded, and the OpenAPI
 * document generated from the same schemas.
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import { packageVersion } from '../util/package.js';
import { sqliteProblem } from '../store/index.js';
import { LIMITS, QueryInputError } from './limits.js';
import type { SynonymService } from './service.js';
import { expandRoutes } from './routes/expand.js';
import { graphRoutes } from './routes/graph.js';
import { healthRoutes } from './routes/health.js';
import { relationRoutes } from './routes/relations.js';
import { termRoutes } from './routes/terms.js';
import { webRoutes } from './routes/web.js';

export interface ServerOptions {
  /** Pino logging (off by default: the CLI prints the URL, tests stay quiet). */
  logger?: boolean;
  /** Close the service's database when the server closes. */
  closeService?: boolean;
  /** Serve the web explorer at / (default true). */
  web?: boolean;
  /** Where a 5xx is reported, one line with the request and the error (default: stderr). */
  logError?: (line: string) => void;
}

const ERROR_NAMES: Record<number, string> = {
  400: 'bad_request',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
};

function errorName(status: number): string {
  return ERROR_NAMES[status] ?? 'client_error';
}

function sendError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send({ error: errorName(status), message });
}

export async function createServer(service: SynonymService, options: ServerOptions = {}): Promise<FastifyInstance> {
  const logError = options.logError ?? ((line: string) => void process.stderr.write(`synograph serve: ${line}\n`));
  const app = Fastify({
    logger: options.logger ?? false,
    // On close, destroy every connection, not only idle ones: a client that never finishes sending
    // its request must not keep a stopped server alive.
    forceCloseConnections: true,
    bodyLimit: LIMITS.bodyBytes,
    routerOptions: { maxParamLength: LIMITS.urlLength },
    // Unknown body fields are an error, not silently dropped; a scalar is not coerced into an array.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true } },
    // Bad percent-encodings and over-long path parameters are caught by the router, before any route.
    frameworkErrors: (err: FastifyError, _req: FastifyRequest, reply: FastifyReply) =>
      sendError(reply, err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400, err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? `a path segment is longer than ${LIMITS.urlLength} characters` : err.message),
  });

  // JSON is the only body the API reads: anything else is a 415, not a string to validate.
  app.removeContentTypeParser('text/plain');

  app.addHook('onRequest', async (req, reply) => {
    if (req.url.length > LIMITS.urlLength) return sendError(reply, 414, `URL longer than ${LIMITS.urlLength} characters`);
    reply.header('x-content-type-options', 'nosniff');
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof QueryInputError || err.validation) return sendError(reply, 400, err.message);
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return sendError(reply, status, err.message);
    req.log.error(err);
    const url = req.url.length > 200 ? `${req.url.slice(0, 200)}...` : req.url;
    logError(`${status >= 500 ? status : 500} ${req.method} ${url}: ${sqliteProblem(err) ?? `${err.name}: ${err.message}`}`);
    return reply.code(500).send({ error: 'internal', message: 'internal server error' });
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, 404, `no route for ${req.method} ${req.url.length > 200 ? `${req.url.slice(0, 200)}...` : req.url}`));

  await app.register(swagger, {
    openapi: {
      info: { title: 'synograph', description: 'Synonym clusters, relation verdicts and query expansion from a synograph database', version: packageVersion() },
      tags: [{ name: 'terms' }, { name: 'clusters' }, { name: 'expand' }, { name: 'relations' }, { name: 'graph' }, { name: 'meta' }],
    },
  });
  const routeOptions = { service, logError };
  await app.register(healthRoutes, routeOptions);
  await app.register(termRoutes, routeOptions);
  await app.register(expandRoutes, routeOptions);
  await app.register(relationRoutes, routeOptions);
  await app.register(graphRoutes, routeOptions);
  if (options.web !== false) await app.register(webRoutes);
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
  if (options.closeService) app.addHook('onClose', async () => service.close());
  return app;
}
