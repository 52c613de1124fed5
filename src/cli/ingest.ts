/** `synograph ingest`: stream a term list (txt, TSV, JSONL) into a database, all or nothing. */
import { resolve } from 'node:path';
import { readTermBatches, WarningLog, type TermListFormat } from '../lexicon/index.js';
import { SynographError } from '../errors.js';
import { acquireWriteLock, ingestTerms, openDb, type WriteLock } from '../store/index.js';
import { interruptible } from './interrupt.js';
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
  const dbFile = resolve(values.db);
  const db = openDb(dbFile);
  let lock: WriteLock;
  try {
    lock = acquireWriteLock(db, 'ingest');
  } catch (err) {
    db.close();
    throw err;
  }
  let closed = false;
  const bar = progress('ingest', null);
  try {
    const r = await interruptible((signal) => {
      const work = ingestTerms(db, readTermBatches(file, { warnings, format: values.format as TermListFormat | undefined }), {
        name: file,
        path: file,
        warnings,
        onProgress: (n) => bar.update(n),
      });
      // One transaction: an interrupted ingest is rolled back and leaves the database as it was.
      const aborted = new Promise<never>((_, reject) =>
        signal.addEventListener('abort', () => {
          lock.abandon();
          db.close();
          closed = true;
          reject(new SynographError('interrupted', `${dbFile}: ingest of ${file} interrupted (${String(signal.reason)}); nothing was stored`));
        }, { once: true }),
      );
      work.catch(() => {});
      return Promise.race([work, aborted]);
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
    if (!closed) {
      try {
        lock.release();
      } catch {
        // a failed ingest (a full disk) is the error to report
      }
      db.close();
    }
  }
}
