/**
 * Clustering a term graph over senses (pure): the term graph's types, one algorithm on its sense
 * graph with what it makes of each word, and the clusterings as named clusters for evaluation.
 */
import type { SynonymGraph } from './graph.js';
import { clusterGraph, type ClusterOptions } from './algorithms.js';
import type { ClusterAlgorithm, ClusteringResult, NodeVectors } from './result.js';
import { buildSenseGraph, senseVectors, wordClustering, type SenseGraph, type SenseInventory, type WordClustering } from './senses.js';
import { contractFamilies, expandFamilies, familyHeads, hasFamilies, mergeInventory, type FamilyPairs } from './families.js';

/**
 * Changes whenever the stage's output for the same inputs changes: 2 = clusters of senses
 * (issue 12), 3 = spelling families clustered as one node (issue 13).
 */
export const CLUSTER_STAGE_VERSION = 3;

/** The synonym graph over a build's terms (nodes: the embedded terms in id order). */
export interface TermGraph {
  graph: SynonymGraph;
  /** node -> term id */
  termOf: Int32Array;
  /** term id -> node, -1 where absent */
  nodeOf: Int32Array;
  vectors: NodeVectors;
  /** Pairs of nodes that are one term written two ways (families.ts); clustered as one node. */
  families?: FamilyPairs;
}

/** A word graph's clustering over senses: the sense graph, the clusterer's result on it, and what it makes of each word. */
export interface SenseClusteringRun {
  senses: SenseGraph;
  result: ClusteringResult;
  words: WordClustering;
}

/**
 * Clusters the sense graph of a term graph with one algorithm. `inventory` is the lexicon's
 * senses; without one (wordsOnly) every word is one node, the word-level clustering of before,
 * through the same path.
 */
export function clusterSenses(graph: TermGraph, inventory: SenseInventory | null, algorithm: ClusterAlgorithm, options: ClusterOptions = {}): SenseClusteringRun {
  const n = graph.graph.nodeCount;
  const none: SenseInventory = { offsets: new Int32Array(n + 1), synset: new Int32Array(0), number: new Int32Array(0), synsetCount: 0 };
  const heads = graph.families ? familyHeads(n, graph.families, inventory) : null;
  const head = heads && hasFamilies(heads) ? heads : null;
  const wordGraph = head ? contractFamilies(graph.graph, head) : graph.graph;
  const senseInventory = inventory && head ? mergeInventory(inventory, head) : inventory;
  const senses = buildSenseGraph(wordGraph, senseInventory ?? none, { induce: inventory !== null, seed: options.seed });
  const vectors = senseVectors(senses, graph.vectors);
  const result = clusterGraph(senses.graph, algorithm, { ...options, vectors });
  const words = wordClustering(senses, result);
  return { senses, result, words: head ? expandFamilies(words, head) : words };
}

/**
 * A word clustering as normalised terms, clusters of >= 2 words (the shape eval and the gold export
 * use), ids c0, c1, ...: `primary` keeps each word's primary cluster only (word level), `any` every
 * membership (sense level).
 */
export function namedClusters(norms: readonly string[], words: WordClustering, level: 'primary' | 'any' = 'primary'): { id: string; members: string[] }[] {
  const groups = new Map<number, string[]>();
  const { member } = words;
  for (let i = 0; i < member.word.length; i++) {
    if (level === 'primary' && member.primary[i] !== 1) continue;
    const c = member.cluster[i];
    const list = groups.get(c);
    if (list) list.push(norms[member.word[i]]);
    else groups.set(c, [norms[member.word[i]]]);
  }
  const out: { id: string; members: string[] }[] = [];
  for (const members of groups.values()) if (members.length >= 2) out.push({ id: `c${out.length}`, members });
  return out;
}
