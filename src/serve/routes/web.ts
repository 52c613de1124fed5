/**
 * The web explorer: its own static files (a fixed list, globbed at start, so no request path can
 * reach outside the folder) and the two browser builds it needs from node_modules, each on an
 * explicit route (never a node_modules path taken from the URL).
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { packageRoot } from '../../util/package.js';

const require = createRequire(import.meta.url);

/** The explorer's files: in the source tree, which both a clean clone and `dist` run against. */
export function webRoot(): string {
  return join(packageRoot(), 'src', 'serve', 'web');
}

/** Browser builds by public name -> file beside the package's main entry (UMD, global `graphology` / `Sigma`). */
const VENDOR: Record<string, { pkg: string; file: string }> = {
  'graphology.umd.min.js': { pkg: 'graphology', file: 'graphology.umd.min.js' },
  'sigma.min.js': { pkg: 'sigma', file: 'sigma.min.js' },
};

export const webRoutes: FastifyPluginAsync = async (app) => {
  for (const [name, { pkg, file }] of Object.entries(VENDOR)) {
    const body = readFileSync(join(dirname(require.resolve(pkg)), file));
    app.get(`/vendor/${name}`, { schema: { hide: true } }, (_req, reply) => reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(body));
  }
  await app.register(fastifyStatic, { root: webRoot(), wildcard: false, index: 'index.html', serve: true, schemaHide: true });
};
