/**
 * The `clusters` and `baselines` sections of `synograph eval --db`: the stored (served) clustering
 * and every baseline computed in the same run on the same gated sense graph, scored on one
 * lexicon, at word level (primary clusters) and sense level (any membership). `synograph-words`
 * is the default algorithm on the word graph (one node per word, the design before senses).
 * `gates` re-reads the stored probabilities at other thresholds (no rebuild) to show how each
 * algorithm copes with a noisier graph.
 */
import { clusterSenses, namedClusters, type ClusterAlgorithm, type SenseInventory, type TermGraph } from '../cluster/index.js';
import { loadSenseInventory, loadTermGraph, nodeNorms } from '../pipeline/stages/cluster.js';
import { countDrift, readClusterGroups, readTermNorms, type Db } from '../store/index.js';
import type { Cluster } from '../types.js';
import { evaluateClusterings, type ClusteringScores, type SystemUnderTest } from './evaluate.js';
import type { Gold } from './gold.js';

export const BASELINES: readonly ClusterAlgorithm[] = ['components', 'louvain', 'chineseWhispers', 'watset', 'paper'];
/** The default algorithm run on the word graph: what clustering senses is measured against. */
export const WORD_GRAPH_BASELINE = 'synograph-words';

/** Every term of the build: the vocabulary its systems clustered (the evaluation lexicon's bound). */
export function termVocabulary(db: Db): Set<string> {
  return new Set(readTermNorms(db));
}

function groupsAsClusters(groups: Map<number, string[]>): Cluster[] {
  const clusters: Cluster[] = [];
  for (const [id, members] of groups) if (members.length >= 2) clusters.push({ id: String(id), members });
  return clusters;
}

/** The stored clustering as clusters of >= 2 normalised terms: primary memberships, and every membership (senses). */
export function storedClusters(db: Db): { algorithm: string | null; clusters: Cluster[]; senses: Cluster[] } {
  const primary = readClusterGroups(db, 'primary');
  return { algorithm: primary.algorithm, clusters: groupsAsClusters(primary.groups), senses: groupsAsClusters(readClusterGroups(db, 'any').groups) };
}

export interface ClusterEvaluation {
  algorithm: string;
  graph: { nodes: number; senseNodes: number; edges: number; cannotLinks: number; gate: number | null };
  lexiconSize: number;
  clusters: ClusteringScores;
  baselines: Record<string, ClusteringScores>;
  drift: { clusters: number; underGate: number; share: number };
}

export interface ClusterEvalOptions {
  /** Held-out words scored (test, or dev while choosing defaults). */
  testWords: ReadonlySet<string>;
  /** The build's terms. */
  vocabulary: ReadonlySet<string>;
  sizeCap: number;
  seed: number;
  gate: number;
}

/** One algorithm on the sense graph (or the word graph when `inventory` is null), as a system under test. */
function system(name: string, norms: readonly string[], graph: TermGraph, inventory: SenseInventory | null, algorithm: ClusterAlgorithm, seed: number): SystemUnderTest & { senseNodes: number } {
  const run = clusterSenses(graph, inventory, algorithm, { seed });
  return { name, clusters: namedClusters(norms, run.words, 'primary'), senses: namedClusters(norms, run.words, 'any'), senseNodes: run.senses.graph.nodeCount };
}

function runAll(db: Db, graph: TermGraph, own: SystemUnderTest, gold: Gold, options: ClusterEvalOptions, ownAlgorithm: ClusterAlgorithm) {
  const norms = nodeNorms(db, graph);
  const inventory = loadSenseInventory(db, graph);
  const baselines = BASELINES.filter((name) => name !== own.name).map((name) => system(name, norms, graph, inventory, name, options.seed));
  const words = system(WORD_GRAPH_BASELINE, norms, graph, null, ownAlgorithm, options.seed);
  const scored = evaluateClusterings([own, ...baselines, words], gold, { testWords: options.testWords, vocabulary: options.vocabulary, sizeCap: options.sizeCap });
  // Every baseline ran on the same sense graph.
  return { ...scored, senseNodes: baselines[0]?.senseNodes ?? graph.graph.nodeCount };
}

export function evaluateStoredClusters(db: Db, gold: Gold, options: ClusterEvalOptions): ClusterEvaluation {
  const stored = storedClusters(db);
  const algorithm = (stored.algorithm ?? 'synograph') as ClusterAlgorithm;
  const graph = loadTermGraph(db);
  const { lexiconSize, scores, senseNodes } = runAll(db, graph, { name: algorithm, clusters: stored.clusters, senses: stored.senses }, gold, options, algorithm);
  const drift = countDrift(db, options.gate);
  const baselines: Record<string, ClusteringScores> = {};
  for (const name of [...BASELINES, WORD_GRAPH_BASELINE]) if (name !== algorithm) baselines[name] = scores[name];
  return {
    algorithm,
    graph: { nodes: graph.graph.nodeCount, senseNodes, edges: graph.graph.edgeCount, cannotLinks: graph.graph.cannotLinkCount, gate: options.gate },
    lexiconSize,
    clusters: scores[algorithm],
    baselines,
    drift: { ...drift, share: drift.clusters === 0 ? 0 : drift.underGate / drift.clusters },
  };
}

/** Every algorithm (the default recomputed) on the graph rebuilt at another gate. */
export function evaluateAtGate(db: Db, gold: Gold, options: ClusterEvalOptions & { algorithm: ClusterAlgorithm }): { gate: number; edges: number; lexiconSize: number; scores: Record<string, ClusteringScores> } {
  const graph = loadTermGraph(db, { minPSynonym: options.gate });
  const own = system(options.algorithm, nodeNorms(db, graph), graph, loadSenseInventory(db, graph), options.algorithm, options.seed);
  const { lexiconSize, scores } = runAll(db, graph, own, gold, options, options.algorithm);
  return { gate: options.gate, edges: graph.graph.edgeCount, lexiconSize, scores };
}
