/**
 * Evaluation as a library call (docs/evaluation.md): a held-out build scored on its own split, a
 * clustering scored against KeNet, and what any build keeps of what it was told. `synograph eval`
 * prints these reports.
 */
import { resolve } from 'node:path';
import { kenetPath, loadKenet } from '../lexicon/index.js';
import { keptKnowledge, type KeptKnowledge } from '../eval/kept.js';
import { connectedComponents, DEFAULT_SIZE_CAP, evaluateCandidates, evaluateClusterings, loadGold, louvainClusters, splitOf, derivationPairs, type CandidateScores, type ClusteringScores, type Gold } from '../eval/index.js';
import { evaluateAtGate, evaluateStoredClusters, termVocabulary, type ClusterEvaluation } from '../eval/clusters-db.js';
import { evaluateRelations, type RelationsEvaluation } from '../eval/relations.js';
import { buildIdentity, latestBuild, openDb, readClusterGroups, type Db } from '../store/index.js';
import { DEFAULT_SPLIT, visibleSynsets } from '../split.js';
import { gateOf, type SavedBuildOptions } from '../pipeline/index.js';
import { SynographError } from '../errors.js';
import type { Cluster, SplitConfig } from '../types.js';
import type { ClusterAlgorithm } from '../cluster/index.js';

/** The held-out words scored: test for a reported figure, dev while choosing defaults. */
export type HeldOutSplit = 'test' | 'dev';

export interface BuildSummary {
  id: number;
  mode: string;
  splitSeed: number;
  split: SplitConfig;
  status: string;
  codeVersion: string;
  stages: { stage: string; status: string; seconds: number | null }[];
}

export interface DatabaseEvaluation {
  sizeCap: number;
  split: HeldOutSplit;
  gold: { source: string; seed: number; train: number; dev: number; heldOutWords: number };
  lexiconSize?: number;
  candidates?: CandidateScores;
  relations?: RelationsEvaluation | null;
  clusters?: ClusterEvaluation['clusters'] & { algorithm: string; graph: ClusterEvaluation['graph']; drift: ClusterEvaluation['drift'] };
  baselines?: Record<string, ClusteringScores>;
  gateSweep?: ReturnType<typeof evaluateAtGate>[];
  build: BuildSummary | null;
}

export interface EvaluateDatabaseOptions {
  split?: HeldOutSplit;
  sizeCap?: number;
  /** Score every algorithm again at these gates (no rebuild). */
  gates?: readonly number[];
  /** Train the random-split and single-word models (default true). */
  diagnostics?: boolean;
  /** Retrain without each feature group. */
  relationsAblation?: boolean;
  kenet?: string;
}

function heldOutWords(gold: Gold, split: HeldOutSplit): Set<string> {
  const words = new Set<string>();
  for (const w of gold.vocabulary) if (splitOf(w, gold.options.split) === split) words.add(w);
  return words;
}

function summary(db: Db): BuildSummary | null {
  const build = latestBuild(db);
  const identity = buildIdentity(db);
  if (!build || !identity) return null;
  return { id: build.id, mode: build.mode, splitSeed: build.splitSeed, split: identity.split, status: build.status, codeVersion: build.codeVersion, stages: build.stages.map((s) => ({ stage: s.stage, status: s.status, seconds: s.seconds })) };
}

/** Opens a database read-only for `body`, closing it on every way out. */
async function withDatabase<T>(path: string, body: (db: Db) => Promise<T>): Promise<T> {
  const db = openDb(resolve(path), { readonly: true });
  try {
    return await body(db);
  } finally {
    db.close();
  }
}

/**
 * Scores a held-out build on its own split (read from the database, never given: another split
 * would score words the build trained on as held out). A full build is refused: it has seen the gold.
 */
export async function evaluateDatabase(path: string, options: EvaluateDatabaseOptions = {}): Promise<DatabaseEvaluation> {
  return withDatabase(path, async (db) => {
    const identity = buildIdentity(db);
    if (!identity) throw new SynographError('usage', `${path}: no build recorded in this database`);
    if (identity.mode !== 'holdout') throw new SynographError('usage', `${path}: a ${identity.mode} build has seen the gold; eval scores only --holdout builds (--kept reports what a full build keeps of what it was told)`);
    const split = identity.split;
    const scored = options.split ?? 'test';
    const sizeCap = options.sizeCap ?? DEFAULT_SIZE_CAP;
    const kenet = resolve(options.kenet ?? kenetPath());
    const { gold, synsets } = await loadGold({ kenet, split });
    const words = heldOutWords(gold, scored);
    const build = latestBuild(db);
    const report: DatabaseEvaluation = { sizeCap, split: scored, gold: { source: kenet, seed: split.seed, train: split.train, dev: split.dev, heldOutWords: words.size }, build: summary(db) };
    const done = (stage: string): boolean => build?.stages.some((s) => s.stage === stage && s.status === 'done') ?? false;
    if (done('candidates')) report.candidates = evaluateCandidates(db, gold, words, scored);
    if (done('relations')) report.relations = await evaluateRelations(db, gold.pairs, {
        seed: split.seed,
        split: scored,
        diagnostics: options.diagnostics !== false,
        ablation: options.relationsAblation ?? false,
        derivations: derivationPairs(synsets, gold),
        mayLearnFrom: (w) => splitOf(w, split) === 'train',
      });
    if (done('cluster')) {
      // The gate and algorithm the build was made with, from its saved options.
      const saved = (build?.config ?? null) as Partial<SavedBuildOptions> | null;
      const common = { testWords: words, vocabulary: termVocabulary(db), sizeCap, seed: split.seed };
      const c = evaluateStoredClusters(db, gold, { ...common, gate: gateOf(saved) });
      report.lexiconSize = c.lexiconSize;
      report.clusters = { algorithm: c.algorithm, ...c.clusters, graph: c.graph, drift: c.drift };
      report.baselines = c.baselines;
      const algorithm: ClusterAlgorithm = saved?.cluster?.algorithm ?? 'synograph';
      if (options.gates && options.gates.length > 0) report.gateSweep = options.gates.map((g) => evaluateAtGate(db, gold, { ...common, gate: g, algorithm }));
    }
    return report;
  });
}

/** What any build (a full one included) keeps of what it was told: not an accuracy figure. */
export async function evaluateKept(path: string, options: { kenet?: string } = {}): Promise<{ kept: KeptKnowledge; build: BuildSummary | null }> {
  return withDatabase(path, async (db) => {
    const identity = buildIdentity(db);
    if (!identity) throw new SynographError('usage', `${path}: no build recorded in this database`);
    const { synsets } = await loadKenet(resolve(options.kenet ?? kenetPath()));
    const told = identity.mode === 'holdout' ? visibleSynsets(synsets, identity.split).visible : synsets;
    const byCluster = (level: 'primary' | 'any') => [...readClusterGroups(db, level).groups].map(([id, members]) => ({ id: String(id), members }));
    return { kept: keptKnowledge(told, termVocabulary(db), byCluster('primary'), byCluster('any')), build: summary(db) };
  });
}

export interface ClusteringEvaluation {
  sizeCap: number;
  split: HeldOutSplit;
  gold: { source: string; seed: number; train: number; dev: number; heldOutWords: number };
  lexiconSize: number;
  clusters: ClusteringScores;
  /** Connected components and Louvain of the gold synonym graph, in the same run on the same lexicon. */
  baselines: { components: ClusteringScores; louvain: ClusteringScores; graph: string };
}

/** Scores a clustering (e.g. an export, or another system's) against KeNet on held-out words of a split. */
export async function evaluateClusters(clusters: readonly Cluster[], options: { split?: SplitConfig; heldOut?: HeldOutSplit; sizeCap?: number; kenet?: string } = {}): Promise<ClusteringEvaluation> {
  const split = options.split ?? DEFAULT_SPLIT;
  const scored = options.heldOut ?? 'test';
  const sizeCap = options.sizeCap ?? DEFAULT_SIZE_CAP;
  const kenet = resolve(options.kenet ?? kenetPath());
  const { gold } = await loadGold({ kenet, split });
  const words = heldOutWords(gold, scored);
  const edges = gold.pairs.filter((p) => p.label === 'synonym').map((p) => ({ a: p.a, b: p.b, weight: 1 }));
  const { lexiconSize, scores } = evaluateClusterings(
    [
      { name: 'clusters', clusters },
      { name: 'components', clusters: connectedComponents(edges) },
      { name: 'louvain', clusters: louvainClusters(edges, { seed: split.seed }) },
    ],
    gold,
    { testWords: words, sizeCap },
  );
  return {
    sizeCap,
    split: scored,
    gold: { source: kenet, seed: split.seed, train: split.train, dev: split.dev, heldOutWords: words.size },
    lexiconSize,
    clusters: scores.clusters,
    baselines: { components: scores.components, louvain: scores.louvain, graph: 'gold synonym graph' },
  };
}
