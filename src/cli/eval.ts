/**
 * `synograph eval`: scores a clustering file, or a held-out build, against KeNet gold on held-out
 * words, with the baselines computed in the same run on the same lexicon.
 *
 * The split is the build's own: `eval --db` reads seed and shares from the database and refuses
 * split flags, so words a build trained on can never be scored as held out. `--split dev` scores
 * the dev words instead of the test words: that is how defaults are chosen (docs/evaluation.md);
 * the test split is read once per reported figure.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { kenetPath, loadKenet } from '../lexicon/index.js';
import { keptKnowledge, type KeptKnowledge } from '../eval/kept.js';
import {
  connectedComponents,
  DEFAULT_SIZE_CAP,
  evaluateClusterings,
  loadGold,
  louvainClusters,
  readClustersFile,
  splitOf,
  evaluateCandidates,
  type ClusteringScores,
  type Gold,
  type SplitConfig,
  visibleSynsets,
} from '../eval/index.js';
import { buildIdentity, latestBuild, openDb, readClusterGroups, type Db } from '../store/index.js';
import type { WeightedPair } from '../types.js';
import { integerOption, printJson, UsageError } from './args.js';
import { evaluateRelations } from '../relations/index.js';
import { evaluateAtGate, evaluateStoredClusters, termVocabulary } from '../eval/clusters-db.js';
import type { ClusterAlgorithm } from '../cluster/index.js';
import { SPLIT_OPTIONS, splitFromArgs } from './gold.js';
import { DEFAULT_GATE } from '../relations/index.js';

type HeldOutSplit = 'test' | 'dev';

function goldSynonymEdges(gold: Gold): WeightedPair[] {
  return gold.pairs.filter((p) => p.label === 'synonym').map((p) => ({ a: p.a, b: p.b, weight: 1 }));
}

function heldOutWords(gold: Gold, split: HeldOutSplit): Set<string> {
  const words = new Set<string>();
  for (const w of gold.vocabulary) if (splitOf(w, gold.options.split) === split) words.add(w);
  return words;
}

/** The split of a held-out build, from the database alone; split flags are refused, not silently ignored. */
function splitOfBuild(db: Db, path: string, values: { seed?: string; train?: string; dev?: string }, kept: boolean): SplitConfig {
  const identity = buildIdentity(db);
  if (!identity) throw new UsageError(`${path}: no build recorded in this database`);
  // docs/evaluation.md: accuracy comes only from held-out builds; a full build has seen the gold.
  if (identity.mode !== 'holdout' && !kept) throw new UsageError(`${path}: a ${identity.mode} build has seen the gold; eval scores only --holdout builds (--kept reports what a full build keeps of what it was told)`);
  const given = (['seed', 'train', 'dev'] as const).filter((k) => values[k] !== undefined);
  if (given.length > 0) {
    const { seed, train, dev } = identity.split;
    throw new UsageError(`--${given[0]}: eval --db uses the split the build was made with (seed ${seed}, train ${train}, dev ${dev}); a different split would score words the build trained on as held out`);
  }
  return identity.split;
}

/** What the stored clustering keeps of the lexicon the build was told (all of KeNet, or its visible part). */
async function keptReport(db: Db, kenet: string, split: SplitConfig): Promise<KeptKnowledge> {
  const identity = buildIdentity(db);
  const { synsets } = await loadKenet(kenet);
  const told = identity?.mode === 'holdout' ? visibleSynsets(synsets, split).visible : synsets;
  const byCluster = (level: 'primary' | 'any') => [...readClusterGroups(db, level).groups].map(([id, members]) => ({ id: String(id), members }));
  return keptKnowledge(told, termVocabulary(db), byCluster('primary'), byCluster('any'));
}

export async function evalCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...SPLIT_OPTIONS,
      clusters: { type: 'string' },
      db: { type: 'string' },
      split: { type: 'string' },
      json: { type: 'boolean', default: false },
      'size-cap': { type: 'string' },
      'relations-ablation': { type: 'boolean', default: false },
      'no-diagnostics': { type: 'boolean', default: false },
      gates: { type: 'string' },
      kept: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.clusters && !values.db) throw new UsageError('eval needs --clusters FILE or --db PATH');
  if (values.kept && !values.db) throw new UsageError('--kept reads a database: it needs --db PATH');
  const sizeCap = integerOption(values['size-cap'], 'size-cap', DEFAULT_SIZE_CAP, 2);
  const scored = (values.split ?? 'test') as HeldOutSplit;
  if (scored !== 'test' && scored !== 'dev') throw new UsageError('--split must be test or dev');
  const gates = (values.gates ?? '').split(',').filter((g) => g.trim() !== '').map((g) => {
    const n = Number(g);
    if (!(n > 0 && n <= 1)) throw new UsageError(`--gates: "${g}" is not a probability in (0, 1]`);
    return n;
  });
  let build: ReturnType<typeof latestBuild> = null;
  const db: Db | null = values.db ? openDb(resolve(values.db), { readonly: true }) : null;

  // One close for every way out, errors included.
  const report: Record<string, unknown> = { sizeCap, split: scored };
  let kenet: string;
  let split: SplitConfig;
  try {
    split = db ? splitOfBuild(db, values.db as string, values, values.kept) : splitFromArgs(values);
    if (db) build = latestBuild(db);
    if (db && values.kept) {
      // Not an accuracy figure: the build was told these pairs. Only this section is reported.
      report.kept = await keptReport(db, resolve(values.kenet ?? kenetPath()), split);
      report.build = build && { id: build.id, mode: build.mode, split, status: build.status, codeVersion: build.codeVersion };
      if (values.json) printJson(report);
      else process.stdout.write(`kept (what the database keeps of what it was told; not an accuracy figure): ${JSON.stringify(report.kept, null, 2)}\n`);
      return 0;
    }

    // Read the user's file first: a malformed clustering should fail before seconds of gold work.
    const clusters = values.clusters ? await readClustersFile(resolve(values.clusters)) : null;
    kenet = resolve(values.kenet ?? kenetPath());
    const { gold } = await loadGold({ kenet, split });
    const words = heldOutWords(gold, scored);
    report.gold = { source: kenet, seed: split.seed, train: split.train, dev: split.dev, heldOutWords: words.size };

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
    if (db && done('candidates')) report.candidates = evaluateCandidates(db, gold, words, scored);
    if (db && done('relations')) report.relations = await evaluateRelations(db, gold.pairs, { seed: split.seed, split: scored, diagnostics: !values['no-diagnostics'], ablation: values['relations-ablation'] });
    if (db && done('cluster')) {
      // The gate and algorithm the build was made with, from its stored options.
      const config = (build?.config ?? {}) as { relations?: { gate?: number }; cluster?: { algorithm?: ClusterAlgorithm } };
      const gate = config.relations?.gate ?? DEFAULT_GATE;
      const vocabulary = termVocabulary(db);
      const common = { testWords: words, vocabulary, sizeCap, seed: split.seed };
      const c = evaluateStoredClusters(db, gold, { ...common, gate });
      report.lexiconSize = c.lexiconSize;
      report.clusters = { algorithm: c.algorithm, ...c.clusters, graph: c.graph, drift: c.drift };
      report.baselines = c.baselines;
      if (gates.length > 0) report.gateSweep = gates.map((g) => evaluateAtGate(db, gold, { ...common, gate: g, algorithm: config.cluster?.algorithm ?? 'synograph' }));
    }
  } finally {
    db?.close();
  }
  if (build) {
    report.build = { id: build.id, mode: build.mode, splitSeed: build.splitSeed, split, status: build.status, codeVersion: build.codeVersion, stages: build.stages.map((s) => ({ stage: s.stage, status: s.status, seconds: s.seconds })) };
  }

  if (values.json) {
    printJson(report);
    return 0;
  }
  const out = process.stdout;
  out.write(`gold: ${kenet} (split seed ${split.seed}, train ${split.train}, dev ${split.dev}; scoring the ${scored} words)\n`);
  if (report.clusters) {
    out.write(`lexicon: ${String(report.lexiconSize)} held-out ${scored} words in the gold, the same for every system (a word a system left alone is its singleton)\n`);
    const row = (name: string, s: ClusteringScores): string =>
      `  ${name.padEnd(15)} P ${s.precision.toFixed(4)}  R ${s.recall.toFixed(4)}  F1 ${s.pairedF1.toFixed(4)}  F1@${sizeCap} ${s.capped.pairedF1.toFixed(4)}  sense F1 ${s.senseLevel.pairedF1.toFixed(4)}  coverage ${s.coverage.toFixed(4)}  antonym ${(100 * s.antonymIntrusion).toFixed(2)}%  co-hyponym ${(100 * s.cohyponymIntrusion).toFixed(2)}%`;
    out.write(row('clusters', report.clusters as ClusteringScores) + '\n');
    for (const [name, scores] of Object.entries(report.baselines as Record<string, ClusteringScores>)) if (scores && typeof scores === 'object') out.write(row(name, scores) + '\n');
  }
  if (report.gateSweep) out.write(`gate sweep: ${JSON.stringify(report.gateSweep, (k, v) => (k === 'sizeHistogram' || k === 'coverageDetail' || k === 'purity' || k === 'byPolysemy' || k === 'senseLevel' ? undefined : v))}\n`);
  if (report.candidates) out.write(`candidates: ${JSON.stringify(report.candidates)}\n`);
  if (report.relations) out.write(`relations: ${JSON.stringify(report.relations)}\n`);
  if (report.build) out.write(`build: ${JSON.stringify(report.build)}\n`);
  return 0;
}
