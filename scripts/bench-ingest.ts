/**
 * Ingest benchmark: streams generated term lists into fresh databases and prints JSON.
 *
 *   npm run bench:ingest [-- --sizes 1000000,15000000]
 *
 * Each measurement runs in its own process so that peak RSS belongs to that size alone: flat RSS
 * means the 15M run peaks near the 1M run. The baseline, measured in the same run, is reading and
 * normalising the same file without storing it (`readOnly`), so `ratioToReadOnly` shows what the
 * database costs on this machine today.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readTermBatches, termKeys, WarningLog } from '../src/lexicon/index.js';
import { ingestTerms, openDb } from '../src/store/index.js';
import { peakRssBytes } from '../src/util/memory.js';
import { generateTerms } from './generate-terms.js';

interface Measurement {
  records: number;
  seconds: number;
  termsPerSecond: number;
  peakRssBytes: number;
  dbBytes?: number;
  inserted?: number;
}

async function child(kind: 'ingest' | 'read', file: string, db: string): Promise<Measurement> {
  const warnings = new WarningLog();
  const started = performance.now();
  if (kind === 'read') {
    let records = 0;
    for await (const batch of readTermBatches(file, { warnings })) {
      for (const r of batch) termKeys(r.term);
      records += batch.length;
    }
    const seconds = (performance.now() - started) / 1000;
    return { records, seconds, termsPerSecond: records / seconds, peakRssBytes: peakRssBytes() };
  }
  const handle = openDb(db);
  const r = await ingestTerms(handle, readTermBatches(file, { warnings }), { name: file, path: file, warnings });
  handle.pragma('wal_checkpoint(TRUNCATE)');
  handle.close();
  const seconds = (performance.now() - started) / 1000;
  return { records: r.records, inserted: r.inserted, seconds, termsPerSecond: r.records / seconds, peakRssBytes: peakRssBytes(), dbBytes: statSync(db).size };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: 'string' }, child: { type: 'string' }, file: { type: 'string' }, db: { type: 'string' } } });
  if (values.child) {
    process.stdout.write(JSON.stringify(await child(values.child as 'ingest' | 'read', values.file as string, values.db as string)));
    return;
  }
  const sizes = (values.sizes ?? '1000000,15000000').split(',').map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'synograph-bench-ingest-'));
  const self = fileURLToPath(import.meta.url);
  const measure = (kind: string, file: string, db: string): Measurement =>
    JSON.parse(execFileSync(process.execPath, [self, '--child', kind, '--file', file, '--db', db], { maxBuffer: 1 << 20 }).toString()) as Measurement;
  try {
    const runs = [];
    for (const n of sizes) {
      const file = join(dir, `terms-${n}.txt`);
      await generateTerms(n, file, 1);
      const readOnly = measure('read', file, '');
      const ingest = measure('ingest', file, join(dir, `bench-${n}.db`));
      runs.push({ terms: n, fileBytes: statSync(file).size, ingest, readOnly, ratioToReadOnly: ingest.termsPerSecond / readOnly.termsPerSecond });
      rmSync(file);
      rmSync(join(dir, `bench-${n}.db`));
    }
    const first = runs[0];
    const last = runs[runs.length - 1];
    process.stdout.write(
      JSON.stringify(
        {
          benchmark: 'ingest',
          cores: cpus().length,
          runs,
          rssGrowth: { fromTerms: first.terms, toTerms: last.terms, peakRssRatio: last.ingest.peakRssBytes / first.ingest.peakRssBytes },
          target: { termsPerSecond: 300_000, flatRss: true },
        },
        null,
        2,
      ) + '\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
