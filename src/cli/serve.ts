/** `synograph serve`: the HTTP API and web explorer over a read-only database, until SIGINT/SIGTERM. */
import { createServer, openService } from '../serve/index.js';
import { integerOption, UsageError } from './args.js';
import { DEFAULT_DB } from './query.js';
import { parseCommand } from './options.js';

export async function serveCommand(argv: string[]): Promise<number> {
  const { values, flags } = parseCommand('serve', argv);
  const port = integerOption(values.port, 'port', 8080, 0);
  if (port > 65535) throw new UsageError(`--port: invalid value "${values.port}"`);
  const host = values.host ?? '127.0.0.1';
  // quick_check first: a corrupt file is refused at start, not found out by the first unlucky request.
  const service = openService(values.db ?? DEFAULT_DB, { algorithm: values.algorithm, warm: true, check: true });
  const app = await createServer(service, { closeService: true, logger: flags.log });
  let address: string;
  try {
    address = await app.listen({ port, host });
  } catch (err) {
    await app.close();
    throw new UsageError(`cannot listen on ${host}:${port} (${(err as Error).message})`);
  }
  const s = service.summary;
  process.stdout.write(`synograph: serving ${s.db} (${s.terms} terms, ${s.clusters} clusters, ${s.mode ?? 'no'} build) at ${address}/\n`);
  process.stdout.write(`  explorer ${address}/  API ${address}/v1/terms/{term}  OpenAPI ${address}/openapi.json\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await app.close();
  return 0;
}
