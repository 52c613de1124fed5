/**
 * `synograph eval`: scores a clustering file, or a held-out build, against KeNet gold on held-out
 * words, with the baselines computed in the same run on the same lexicon.
 *
 * The split is the build's own: `eval --db` reads seed and shares from the database and refuses
 * split flags, so words a build trained on can never be scored as held out. `--split dev` scores
 * the dev words instead of the test words: that is how defaults are chosen (docs/evaluation.md);
 * the test split is read once per reported figure.
 */
import { resolve } from 'node:path';
import { DEFAULT_SIZE_CAP, readClustersFile, type ClusteringScores } from '../eval/index.js';
import { evaluateClusters, evaluateDatabase, evaluateKept, type HeldOutSplit } from '../methods/evaluate.js';
import { buildIdentity, openDb } from '../store/index.js';
import { integerOption, printJson, UsageError } from './args.js';
import { splitFromArgs } from './gold.js';
import { parseCommand } from './options.js';

/** Split flags with --db are refused, not silently ignored: the build's own split is the only one. */
function refuseSplitFlags(path: string, values: { seed?: string; train?: string; dev?: string }): void {
  const given = (['seed', 'train', 'dev'] as const).filter((k) => values[k] !== undefined);
  if (given.length === 0) return;
  const db = openDb(resolve(path), { readonly: true });
  let split;
  try {
    split = buildIdentity(db)?.split;
  } finally {
    db.close();
  }
  const which = split ? `(seed ${split.seed}, train ${split.train}, dev ${split.dev})` : '';
  throw new UsageError(`--${given[0]}: eval --db uses the split the build was made with ${which}; a different split would score words the build trained on as held out`);
}

function printRows(out: NodeJS.WriteStream, sizeCap: number, own: ClusteringScores, baselines: Record<string, ClusteringScores | string>): void {
  const row = (name: string, s: ClusteringScores): string =>
    `  ${name.padEnd(15)} P ${s.precision.toFixed(4)}  R ${s.recall.toFixed(4)}  F1 ${s.pairedF1.toFixed(4)}  F1@${sizeCap} ${s.capped.pairedF1.toFixed(4)}  sense F1 ${s.senseLevel.pairedF1.toFixed(4)}  coverage ${s.coverage.toFixed(4)}  antonym ${(100 * s.antonymIntrusion).toFixed(2)}%  co-hyponym ${(100 * s.cohyponymIntrusion).toFixed(2)}%`;
  out.write(row('clusters', own) + '\n');
  for (const [name, scores] of Object.entries(baselines)) if (scores && typeof scores === 'object') out.write(row(name, scores) + '\n');
}

export async function evalCommand(argv: string[]): Promise<number> {
  const { values, flags } = parseCommand('eval', argv);
  if (!values.clusters && !values.db) throw new UsageError('eval needs --clusters FILE or --db PATH');
  if (flags.kept && !values.db) throw new UsageError('--kept reads a database: it needs --db PATH');
  const sizeCap = integerOption(values['size-cap'], 'size-cap', DEFAULT_SIZE_CAP, 2);
  const scored = (values.split ?? 'test') as HeldOutSplit;
  if (scored !== 'test' && scored !== 'dev') throw new UsageError('--split must be test or dev');
  const gates = (values.gates ?? '').split(',').filter((g) => g.trim() !== '').map((g) => {
    const n = Number(g);
    if (!(n > 0 && n <= 1)) throw new UsageError(`--gates: "${g}" is not a probability in (0, 1]`);
    return n;
  });
  const out = process.stdout;
  if (values.db) {
    refuseSplitFlags(values.db, values);
    if (flags.kept) {
      // Not an accuracy figure: the build was told these pairs. Only this section is reported.
      const r = await evaluateKept(values.db, { kenet: values.kenet });
      if (flags.json) printJson(r);
      else out.write(`kept (what the database keeps of what it was told; not an accuracy figure): ${JSON.stringify(r.kept, null, 2)}\n`);
      return 0;
    }
    const report = await evaluateDatabase(values.db, { split: scored, sizeCap, gates, diagnostics: !flags['no-diagnostics'], relationsAblation: flags['relations-ablation'], kenet: values.kenet });
    if (flags.json) {
      printJson(report);
      return 0;
    }
    const g = report.gold;
    out.write(`gold: ${g.source} (split seed ${g.seed}, train ${g.train}, dev ${g.dev}; scoring the ${scored} words)\n`);
    if (report.clusters && report.baselines) {
      out.write(`lexicon: ${String(report.lexiconSize)} held-out ${scored} words in the gold, the same for every system (a word a system left alone is its singleton)\n`);
      printRows(out, sizeCap, report.clusters, report.baselines);
    }
    if (report.gateSweep) out.write(`gate sweep: ${JSON.stringify(report.gateSweep, (k, v) => (k === 'sizeHistogram' || k === 'coverageDetail' || k === 'purity' || k === 'byPolysemy' || k === 'senseLevel' || k === 'byShape' ? undefined : v))}\n`);
    if (report.candidates) out.write(`candidates: ${JSON.stringify(report.candidates)}\n`);
    if (report.relations) out.write(`relations: ${JSON.stringify(report.relations)}\n`);
    if (report.build) out.write(`build: ${JSON.stringify(report.build)}\n`);
    return 0;
  }
  // Read the user's file first: a malformed clustering should fail before seconds of gold work.
  const clusters = await readClustersFile(resolve(values.clusters as string));
  const report = await evaluateClusters(clusters, { split: splitFromArgs(values), heldOut: scored, sizeCap, kenet: values.kenet });
  if (flags.json) {
    printJson(report);
    return 0;
  }
  const g = report.gold;
  out.write(`gold: ${g.source} (split seed ${g.seed}, train ${g.train}, dev ${g.dev}; scoring the ${scored} words)\n`);
  out.write(`lexicon: ${report.lexiconSize} held-out ${scored} words in the gold, the same for every system\n`);
  printRows(out, sizeCap, report.clusters, report.baselines);
  return 0;
}
