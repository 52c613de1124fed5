/**
 * The `clusters` and `baselines` sections of `synograph eval --db`: the stored (served) clustering
 * and every baseline computed in the same run on the same gated graph, scored on one lexicon.
 * `gates` re-reads the stored probabilities at other thresholds (no rebuild) to show how each
 * algorithm copes with a noisier graph.
 */
import { clusterGraph, loadTermGraph, namedClusters, nodeNorms, type ClusterAlgorithm, type TermGraph } from '../cluster/index.js';
import type { Db } from '../store/db.js';
import type { Cluster } from '../types.js';
import { evaluateClusterings, type ClusteringScores } from './evaluate.js';
import type { Gold } from './gold.js';

export const BASELINES: readonly ClusterAlgorithm[] = ['components', 'louvain', 'chineseWhispers', 'watset', 'paper'];

/** Every term of the build: the vocabulary its systems clustered (the evaluation lexicon's bound). */
export function termVocabulary(db: Db): Set<string> {
  return new Set(db.prepare('SELECT norm FROM terms').pluck().all() as string[]);
}

/** The stored primary clustering as clusters of >= 2 normalised terms. */
export function storedClusters(db: Db): { algorithm: string | null; clusters: Cluster[] } {
  const algorithm = db.prepare('SELECT algorithm FROM clusters LIMIT 1').pluck().get() as string | undefined;
  const groups = new Map<number, string[]>();
  for (const [c, norm] of db.prepare('SELECT m.cluster_id, t.norm FROM memberships m JOIN terms t ON t.id = m.term_id WHERE m.is_primary = 1 ORDER BY m.cluster_id, t.norm').raw().iterate() as IterableIterator<[number, string]>) {
    const g = groups.get(c);
    if (g) g.push(norm);
    else groups.set(c, [norm]);
  }
  const clusters: Cluster[] = [];
  for (const [id, members] of groups) if (members.length >= 2) clusters.push({ id: String(id), members });
  return { algorithm: algorithm ?? null, clusters };
}

export interface ClusterEvaluation {
  algorithm: string;
  graph: { nodes: number; edges: number; cannotLinks: number; gate: number | null };
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

function runAll(norms: readonly string[], graph: TermGraph, own: { name: string; clusters: Cluster[] }, gold: Gold, options: ClusterEvalOptions) {
  const { seed } = options;
  const systems = [own, ...BASELINES.filter((name) => name !== own.name).map((name) => ({ name, clusters: namedClusters(norms, clusterGraph(graph.graph, name, { seed, vectors: graph.vectors })) }))];
  return evaluateClusterings(systems, gold, { testWords: options.testWords, vocabulary: options.vocabulary, sizeCap: options.sizeCap });
}

export function evaluateStoredClusters(db: Db, gold: Gold, options: ClusterEvalOptions): ClusterEvaluation {
  const stored = storedClusters(db);
  const algorithm = stored.algorithm ?? 'synograph';
  const graph = loadTermGraph(db);
  const { lexiconSize, scores } = runAll(nodeNorms(db, graph), graph, { name: algorithm, clusters: stored.clusters }, gold, options);
  const multi = db.prepare('SELECT count(*) FROM clusters WHERE size >= 2').pluck().get() as number;
  const under = db.prepare('SELECT count(*) FROM clusters WHERE size >= 2 AND min_p_synonym < ?').pluck().get(options.gate) as number;
  const baselines: Record<string, ClusteringScores> = {};
  for (const name of BASELINES) if (name !== algorithm) baselines[name] = scores[name];
  return {
    algorithm,
    graph: { nodes: graph.graph.nodeCount, edges: graph.graph.edgeCount, cannotLinks: graph.graph.cannotLinkCount, gate: options.gate },
    lexiconSize,
    clusters: scores[algorithm],
    baselines,
    drift: { clusters: multi, underGate: under, share: multi === 0 ? 0 : under / multi },
  };
}

/** Every algorithm (the default recomputed) on the graph rebuilt at another gate. */
export function evaluateAtGate(db: Db, gold: Gold, options: ClusterEvalOptions & { algorithm: ClusterAlgorithm }): { gate: number; edges: number; lexiconSize: number; scores: Record<string, ClusteringScores> } {
  const graph = loadTermGraph(db, { minPSynonym: options.gate });
  const norms = nodeNorms(db, graph);
  const own = { name: options.algorithm, clusters: namedClusters(norms, clusterGraph(graph.graph, options.algorithm, { seed: options.seed, vectors: graph.vectors })) };
  const { lexiconSize, scores } = runAll(norms, graph, own, gold, options);
  return { gate: options.gate, edges: graph.graph.edgeCount, lexiconSize, scores };
}
