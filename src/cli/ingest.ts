/** `synograph ingest`: stream a term list (txt, TSV, JSONL) into a database, all or nothing. */
import { resolve } from 'node:path';
import { readTermBatches, WarningLog, type TermListFormat } from '../lexicon/index.js';
import { ingestTerms, openDb } from '../store/index.js';
import { peakRssBytes } from '../util/memory.js';
import { printJson, UsageError } from './args.js';
import { progress } from './progress.js';
import { parseCommand } from './options.js';

export async function ingestCommand(argv: string[]): Promise<number> {
  const { values, flags } = parseCommand('ingest', argv);
  if (!values.db || !values.terms) throw new UsageError('ingest needs --db PATH and --terms FILE');
  if (values.format !== undefined && !['txt', 'tsv', 'jsonl'].includes(values.format)) throw new UsageError('--format must be txt, tsv or jsonl');
  const file = resolve(values.terms);
  const warnings = new WarningLog();
  const db = openDb(resolve(values.db));
  const bar = progress('ingest', null);
  try {
    const r = await ingestTerms(db, readTermBatches(file, { warnings, format: values.format as TermListFormat | undefined }), {
      name: file,
      path: file,
      warnings,
      onProgress: (n) => bar.update(n),
    });
    bar.finish(r.records);
    const summary = { file, records: r.records, inserted: r.inserted, duplicates: r.duplicates, seconds: r.seconds, termsPerSecond: r.records / Math.max(r.seconds, 1e-9), peakRssBytes: peakRssBytes(), warnings: warnings.counts, warningExamples: warnings.format() };
    if (flags.json) printJson(summary);
    else {
      process.stdout.write(`${file}: ${r.records} records, ${r.inserted} new terms, ${r.duplicates} duplicates in ${r.seconds.toFixed(1)} s\n`);
      for (const line of warnings.format()) process.stderr.write(`warning: ${line}\n`);
    }
    return 0;
  } finally {
    db.close();
  }
}
