/**
 * The cluster stage's adapter: the gated synonym edges and the cannot-links of the relations stage,
 * streamed from the store into the CSR graph, clustered over senses (src/cluster), and stored:
 * clusters with their representative and the P(synonym) summary of the verdicts inside them,
 * every term's one primary membership with its support, and its other senses' memberships.
 * Graph nodes are the embedded terms in id order (dense); the vectors of the members of clusters
 * of two or more give their centroid representatives.
 */
import { buildGraph, clusterSenses, CLUSTER_STAGE_VERSION, UNNUMBERED, type ClusterAlgorithm, type ClusterOptions, type EdgeChunk, type SenseGraphStats, type SenseInventory, type TermGraph, type WordClustering } from '../../cluster/index.js';
import { SPELLING_KINDS } from '../../evidence/index.js';
import { checkedTransaction, NO_SENSE, readCannotLinks, readEmbeddedTermIds, readEmbeddingsOf, readEvidencePairs, readGatedEdges, readNorms, readSenseInventory, readVerdictProbabilitiesFrom, writeClustering, type Db } from '../../store/index.js';
import type { StageDefinition } from '../stage.js';

/**
 * The synonym graph over the embedded terms: edges are the relation verdicts kept by the gate
 * (`minPSynonym` rebuilds it at another threshold from the stored probabilities; seeds always
 * count), cannot-links are the stored antonym constraints.
 */
export function loadTermGraph(db: Db, options: { minPSynonym?: number } = {}): TermGraph {
  const { termIds, dimensions } = readEmbeddedTermIds(db);
  const n = termIds.length;
  const maxId = n === 0 ? 0 : termIds[n - 1];
  const nodeOf = new Int32Array(maxId + 1).fill(-1);
  for (let i = 0; i < n; i++) nodeOf[termIds[i]] = i;
  const toNodes = (chunk: { a: Int32Array; b: Int32Array; length: number }): void => {
    for (let i = 0; i < chunk.length; i++) {
      chunk.a[i] = chunk.a[i] <= maxId ? nodeOf[chunk.a[i]] : -1;
      chunk.b[i] = chunk.b[i] <= maxId ? nodeOf[chunk.b[i]] : -1;
    }
  };
  const edges = function* (): Generator<EdgeChunk> {
    for (const chunk of readGatedEdges(db, { minPSynonym: options.minPSynonym })) {
      toNodes(chunk);
      yield dropMissing({ a: chunk.a, b: chunk.b, w: chunk.weight, length: chunk.length });
    }
  };
  const links = readCannotLinks(db);
  toNodes({ a: links.a, b: links.b, length: links.a.length });
  const graph = buildGraph(n, edges, { cannotLinks: () => [dropMissing({ a: links.a, b: links.b, length: links.a.length })] });
  // Spellings of one term, clustered as one node; a pair with a term without a vector is skipped there.
  const families = readEvidencePairs(db, [...SPELLING_KINDS]);
  toNodes({ a: families.a, b: families.b, length: families.a.length });
  // Vectors are read when the representatives need them: those of the members of clusters of two or more.
  const vectors = { dims: dimensions, read: (nodes: Int32Array) => readEmbeddingsOf(db, nodes.map((node) => termIds[node])) };
  return { graph, termOf: termIds, nodeOf, vectors, families };
}

/** Compacts away pairs with an endpoint that is not a node (a verdict on a term without a vector). */
function dropMissing(chunk: EdgeChunk & { length: number }): EdgeChunk {
  let k = 0;
  for (let i = 0; i < chunk.length; i++) {
    if (chunk.a[i] < 0 || chunk.b[i] < 0) continue;
    chunk.a[k] = chunk.a[i];
    chunk.b[k] = chunk.b[i];
    if (chunk.w) chunk.w[k] = chunk.w[i];
    k++;
  }
  return { a: chunk.a, b: chunk.b, w: chunk.w, length: k };
}

/** Changes whenever the stage's output for the same inputs changes: 2 = clusters of senses (issue 12). */
export interface ClusterStageOptions {
  algorithm?: ClusterAlgorithm;
  seed?: number;
  synograph?: ClusterOptions['synograph'];
  /** Cluster words instead of senses (one node per word): the design before issue 12, kept for comparison. */
  wordsOnly?: boolean;
}

export interface ClusterStageReport {
  algorithm: ClusterAlgorithm;
  /** Words (terms with a vector) and the sense nodes they became. */
  nodes: number;
  senseNodes: number;
  senses: SenseGraphStats;
  edges: number;
  cannotLinks: number;
  clusters: number;
  clustersOfTwoOrMore: number;
  singletons: number;
  largest: number;
  /** Memberships through a sense other than the word's primary one, or a losing soft membership. */
  alternatives: number;
  /** Clusters of >= 2 whose weakest stored verdict inside is under the gate (drift). */
  clustersUnderGate: number;
  seconds: { graph: number; cluster: number; store: number };
}

/** The sense inventory of the graph's words from the store's lexicon. */
export function loadSenseInventory(db: Db, graph: TermGraph): SenseInventory {
  return readSenseInventory(db, graph.nodeOf, graph.termOf.length, UNNUMBERED);
}

/**
 * Minimum and mean P(synonym) over the stored verdicts whose two terms share a cluster (through
 * any sense): a cluster that holds a pair the discriminator scored low has drifted.
 */
function verdictSummary(db: Db, graph: TermGraph, words: WordClustering): { min: Float32Array; mean: Float32Array } {
  const { clusterCount, member } = words;
  // Each word's clusters as a CSR, to intersect the two ends' lists of a verdict.
  const n = graph.graph.nodeCount;
  const off = new Int32Array(n + 1);
  for (let i = 0; i < member.word.length; i++) off[member.word[i] + 1]++;
  for (let t = 0; t < n; t++) off[t + 1] += off[t];
  const list = new Int32Array(member.word.length);
  const cursor = off.slice(0, n);
  for (let i = 0; i < member.word.length; i++) list[cursor[member.word[i]]++] = member.cluster[i];
  const min = new Float32Array(clusterCount).fill(NaN);
  const sum = new Float64Array(clusterCount);
  const count = new Int32Array(clusterCount);
  // Only a word in a cluster of two or more can share one with another word: the verdicts of the
  // other words (most of them) are not read. At 928k terms of the 1M-line bench:e2e list, reading
  // every stored verdict took ~2.5 s of the stage's 9.6 s store step.
  const inGroups = new Set<number>();
  for (let i = 0; i < member.word.length; i++) if (words.size[member.cluster[i]] >= 2) inGroups.add(graph.termOf[member.word[i]]);
  for (const [a, b, p] of readVerdictProbabilitiesFrom(db, [...inGroups].sort((x, y) => x - y))) {
    const na = a < graph.nodeOf.length ? graph.nodeOf[a] : -1;
    const nb = b < graph.nodeOf.length ? graph.nodeOf[b] : -1;
    if (na < 0 || nb < 0) continue;
    for (let i = off[na]; i < off[na + 1]; i++) {
      const c = list[i];
      let shared = false;
      for (let j = off[nb]; j < off[nb + 1] && !shared; j++) shared = list[j] === c;
      if (!shared) continue;
      if (!(min[c] <= p)) min[c] = p;
      sum[c] += p;
      count[c]++;
    }
  }
  const mean = new Float32Array(clusterCount);
  for (let c = 0; c < clusterCount; c++) mean[c] = count[c] === 0 ? NaN : sum[c] / count[c];
  return { min, mean };
}

/** Stores a word clustering, replacing the previous one; the caller owns the transaction. */
export function storeClustering(db: Db, graph: TermGraph, algorithm: ClusterAlgorithm, words: WordClustering): { clustersUnderGate: (gate: number) => number } {
  const { size } = words;
  const { min, mean } = verdictSummary(db, graph, words);
  const { member } = words;
  writeClustering(db, {
    algorithm,
    representative: Int32Array.from(words.representative, (w) => (w >= 0 ? graph.termOf[w] : -1)),
    size,
    minPSynonym: min,
    meanPSynonym: mean,
    memberTerm: Int32Array.from(member.word, (w) => graph.termOf[w]),
    memberCluster: member.cluster,
    memberSupport: member.support,
    memberPrimary: member.primary,
    memberSense: Int32Array.from(member.sense, (x) => (x === UNNUMBERED ? NO_SENSE : x)),
  });
  return {
    clustersUnderGate: (gate) => {
      let k = 0;
      for (let c = 0; c < words.clusterCount; c++) if (size[c] >= 2 && min[c] < gate) k++;
      return k;
    },
  };
}

export function runClusterStage(db: Db, options: ClusterStageOptions & { gate: number }): ClusterStageReport {
  const algorithm = options.algorithm ?? 'synograph';
  let t = performance.now();
  const graph = loadTermGraph(db);
  const inventory = options.wordsOnly ? null : loadSenseInventory(db, graph);
  const graphSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const run = clusterSenses(graph, inventory, algorithm, { seed: options.seed, synograph: options.synograph });
  const clusterSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const stored = checkedTransaction(db, ['clusters', 'memberships'], () => storeClustering(db, graph, algorithm, run.words));
  const storeSeconds = (performance.now() - t) / 1000;
  const { words } = run;
  let multi = 0;
  let singletons = 0;
  let largest = 0;
  for (const s of words.size) {
    if (s >= 2) multi++;
    else if (s === 1) singletons++;
    if (s > largest) largest = s;
  }
  let alternatives = 0;
  for (const p of words.member.primary) if (p === 0) alternatives++;
  return {
    algorithm,
    nodes: graph.graph.nodeCount,
    senseNodes: run.senses.graph.nodeCount,
    senses: run.senses.stats,
    edges: run.senses.graph.edgeCount,
    cannotLinks: run.senses.graph.cannotLinkCount,
    clusters: words.clusterCount,
    clustersOfTwoOrMore: multi,
    singletons,
    largest,
    alternatives,
    clustersUnderGate: stored.clustersUnderGate(options.gate),
    seconds: { graph: graphSeconds, cluster: clusterSeconds, store: storeSeconds },
  };
}

/** Each node's normalised term (nodes are the embedded terms in id order, whatever the gate). */
export function nodeNorms(db: Db, graph: TermGraph): string[] {
  return readNorms(db, graph.nodeOf, graph.termOf.length);
}

export const clusterStage: StageDefinition<ClusterStageReport> = {
  name: 'cluster',
  reads: ['relations', 'evidence'],
  fingerprint: ({ options, upstream }) => [CLUSTER_STAGE_VERSION, options.cluster, options.split.seed, upstream('relations'), upstream('evidence')],
  run: async ({ db, options }) => runClusterStage(db, { algorithm: options.cluster.algorithm, seed: options.split.seed, gate: options.relations.gate }),
};
