/** `synograph export`: JSONL clusters, a Solr/Elasticsearch/OpenSearch synonym file, CSV or GEXF. */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { rename, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EXPORT_FORMATS, exportDatabase, openService, type ExportFormat } from '../serve/index.js';
import { integerOption, UsageError } from './args.js';
import { DEFAULT_DB } from './query.js';
import { parseCommand } from './options.js';

export async function exportCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand('export', argv);
  const format = values.format as ExportFormat | undefined;
  if (!format || !EXPORT_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
  if ((values.term !== undefined || values.depth !== undefined) && format !== 'gexf') throw new UsageError('--term and --depth go with --format gexf');
  if (values.depth !== undefined && values.term === undefined) throw new UsageError('--depth needs --term');
  const depth = integerOption(values.depth, 'depth', 1, 0);
  const maxNodes = integerOption(values['max-nodes'], 'max-nodes', 10_000, 1);
  const service = openService(values.db ?? DEFAULT_DB, { algorithm: values.algorithm });
  try {
    if (!values.out) {
      await exportDatabase(service, process.stdout, { format, term: values.term, depth, maxNodes });
      return 0;
    }
    // Written beside the target and renamed at the end: a failed export leaves no half file.
    const file = resolve(values.out);
    const partial = `${file}.partial`;
    const stream = createWriteStream(partial);
    try {
      const report = await exportDatabase(service, stream, { format, term: values.term, depth, maxNodes });
      stream.end();
      await once(stream, 'finish');
      await rename(partial, file);
      process.stderr.write(`synograph export: wrote ${file} (${format}, ${report.records} ${format === 'gexf' ? `nodes, ${report.edges} edges` : format === 'csv' ? 'memberships' : format === 'solr' ? 'synonym lines' : 'clusters'}${report.truncated ? ', cut at --max-nodes' : ''})\n`);
      return 0;
    } catch (err) {
      stream.destroy();
      await rm(partial, { force: true });
      throw err;
    }
  } finally {
    service.close();
  }
}
