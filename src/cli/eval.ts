/**
 * `synograph eval`: scores a clustering file, or a held-out build, against KeNet gold on held-out
 * test words, with the baselines computed in the same run on the same lexicon.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { kenetPath } from '../lexicon/index.js';
import {
  connectedComponents,
  DEFAULT_SIZE_CAP,
  evaluateClusterings,
  loadGold,
  louvainClusters,
  readClustersFile,
  splitOf,
  evaluateCandidates,
  derivationPairs,
  type ClusteringScores,
  type Gold,
} from '../eval/index.js';
import { buildIdentity, latestBuild, openDb, type Db } from '../store/index.js';
import type { WeightedPair } from '../types.js';
import { integerOption, printJson, UsageError } from './args.js';
import { evaluateRelations } from '../relations/index.js';
import { evaluateAtGate, evaluateStoredClusters } from '../eval/clusters-db.js';
import type { ClusterAlgorithm } from '../cluster/index.js';
import { SPLIT_OPTIONS, splitFromArgs } from './gold.js';

function goldSynonymEdges(gold: Gold): WeightedPair[] {
  return gold.pairs.filter((p) => p.label === 'synonym').map((p) => ({ a: p.a, b: p.b, weight: 1 }));
}

function testWords(gold: Gold): Set<string> {
  const words = new Set<string>();
  for (const w of gold.vocabulary) if (splitOf(w, gold.options.split) === 'test') words.add(w);
  return words;
}

export async function evalCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { ...SPLIT_OPTIONS, clusters: { type: 'string' }, db: { type: 'string' }, json: { type: 'boolean', default: false }, 'size-cap': { type: 'string' }, 'relations-ablation': { type: 'boolean', default: false }, 'no-diagnostics': { type: 'boolean', default: false }, gates: { type: 'string' }, split: { type: 'string', default: 'test' } },
    strict: true,
  });
  if (!values.clusters && !values.db) throw new UsageError('eval needs --clusters FILE or --db PATH');
  // Defaults are chosen on dev words (EVALUATION.md); only the relations section is scored on dev.
  const heldOut = values.split;
  if (heldOut !== 'test' && heldOut !== 'dev') throw new UsageError(`--split: "${heldOut}" is not dev or test`);
  const onTest = heldOut === 'test';
  if (!onTest && values.clusters) throw new UsageError('--split dev scores the relations section of a --db build only');
  const sizeCap = integerOption(values['size-cap'], 'size-cap', DEFAULT_SIZE_CAP, 2);
  let split = splitFromArgs(values);
  let build: ReturnType<typeof latestBuild> = null;
  let db: Db | null = null;

  if (values.db) {
    db = openDb(resolve(values.db), { readonly: true });
  }
  // One close for every way out, errors included.
  const report: Record<string, unknown> = { sizeCap };
  let kenet: string;
  try {
    if (db) {
      const identity = buildIdentity(db);
      if (!identity) throw new UsageError(`${values.db}: no build recorded in this database`);
      // EVALUATION.md: accuracy comes only from held-out builds; a full build has seen the gold.
      if (identity.mode !== 'holdout') throw new UsageError(`${values.db}: a ${identity.mode} build has seen the gold; eval scores only --holdout builds`);
      split = { ...split, seed: identity.splitSeed };
      build = latestBuild(db);
    }

    // Read the user's file first: a malformed clustering should fail before seconds of gold work.
    const clusters = values.clusters ? await readClustersFile(resolve(values.clusters)) : null;
    kenet = resolve(values.kenet ?? kenetPath());
    const { gold, synsets } = await loadGold({ kenet, split });
    const words = testWords(gold);
    report.gold = { source: kenet, seed: split.seed, testWords: words.size };

    if (clusters) {
      const edges = goldSynonymEdges(gold);
      const { lexiconSize, scores } = evaluateClusterings(
        [
          { name: 'clusters', clusters },
          { name: 'components', clusters: connectedComponents(edges) },
          { name: 'louvain', clusters: louvainClusters(edges, { seed: split.seed }) },
        ],
        gold,
        { testWords: words, sizeCap },
      );
      report.lexiconSize = lexiconSize;
      report.clusters = scores.clusters;
      report.baselines = { components: scores.components, louvain: scores.louvain, graph: 'gold synonym graph' };
    }
    const done = (stage: string): boolean => build?.stages.some((s) => s.stage === stage && s.status === 'done') ?? false;
    if (db && onTest && done('candidates')) report.candidates = evaluateCandidates(db, gold, words);
    if (db && done('relations'))
      report.relations = await evaluateRelations(db, gold.pairs, { seed: split.seed, diagnostics: !values['no-diagnostics'], ablation: values['relations-ablation'], split: heldOut, derivations: derivationPairs(synsets, gold), mayLearnFrom: (w) => splitOf(w, split) === 'train' });
    if (db && onTest && done('cluster')) {
      const config = (build?.config ?? {}) as { relations?: { gate?: number }; cluster?: { algorithm?: ClusterAlgorithm } };
      const gate = config.relations?.gate ?? 0.7;
      const c = evaluateStoredClusters(db, gold, { testWords: words, sizeCap, seed: split.seed, gate });
      report.lexiconSize = c.lexiconSize;
      report.clusters = { algorithm: c.algorithm, ...c.clusters, graph: c.graph, drift: c.drift };
      report.baselines = c.baselines;
      const gates = (values.gates ?? '').split(',').filter((g) => g.trim() !== '').map((g) => {
        const n = Number(g);
        if (!(n > 0 && n <= 1)) throw new UsageError(`--gates: "${g}" is not a probability in (0, 1]`);
        return n;
      });
      if (gates.length > 0) report.gateSweep = gates.map((g) => evaluateAtGate(db!, gold, { testWords: words, sizeCap, seed: split.seed, gate: g, algorithm: (config.cluster?.algorithm ?? 'synograph') }));
    }
  } finally {
    db?.close();
  }
  if (build) {
    report.build = { id: build.id, mode: build.mode, splitSeed: build.splitSeed, status: build.status, codeVersion: build.codeVersion, stages: build.stages.map((s) => ({ stage: s.stage, status: s.status, seconds: s.seconds })) };
  }

  if (values.json) {
    printJson(report);
    return 0;
  }
  const out = process.stdout;
  out.write(`gold: ${kenet} (split seed ${split.seed})\n`);
  if (report.clusters) {
    out.write(`lexicon: ${String(report.lexiconSize)} held-out test words shared by every system\n`);
    const row = (name: string, s: ClusteringScores): string =>
      `  ${name.padEnd(12)} P ${s.precision.toFixed(4)}  R ${s.recall.toFixed(4)}  F1 ${s.pairedF1.toFixed(4)}  F1@${sizeCap} ${s.capped.pairedF1.toFixed(4)}  antonym ${(100 * s.antonymIntrusion).toFixed(2)}%  co-hyponym ${(100 * s.cohyponymIntrusion).toFixed(2)}%`;
    out.write(row('clusters', report.clusters as ClusteringScores) + '\n');
    for (const [name, scores] of Object.entries(report.baselines as Record<string, ClusteringScores>)) if (scores && typeof scores === 'object') out.write(row(name, scores) + '\n');
  }
  if (report.gateSweep) out.write(`gate sweep: ${JSON.stringify(report.gateSweep, (k, v) => (k === 'sizeHistogram' || k === 'coverageDetail' || k === 'purity' || k === 'byPolysemy' ? undefined : v))}\n`);
  if (report.candidates) out.write(`candidates: ${JSON.stringify(report.candidates)}\n`);
  if (report.relations) out.write(`relations: ${JSON.stringify(report.relations)}\n`);
  if (report.build) out.write(`build: ${JSON.stringify(report.build)}\n`);
  return 0;
}
