/**
 * The cluster stage: the gated synonym edges and the cannot-links of the relations stage, streamed
 * from the store into the CSR graph, clustered (the default `synograph` algorithm), and stored:
 * clusters with their representative and the P(synonym) summary of the verdicts inside them, every
 * term's one primary membership with its support, and the losing soft memberships as alternative
 * senses. Graph nodes are the embedded terms in id order (dense), so node vectors give centroid
 * representatives.
 */
import type { Db } from '../store/db.js';
import { readEmbeddings } from '../store/embeddings.js';
import { readCannotLinks, readGatedEdges } from '../store/relations.js';
import { writeClustering } from '../store/clusters.js';
import { buildGraph, type EdgeChunk, type SynonymGraph } from './graph.js';
import { clusterGraph, type ClusterOptions } from './index.js';
import type { ClusterAlgorithm, ClusteringResult, NodeVectors } from './result.js';

export interface TermGraph {
  graph: SynonymGraph;
  /** node -> term id */
  termOf: Int32Array;
  /** term id -> node, -1 where absent */
  nodeOf: Int32Array;
  vectors: NodeVectors;
}

/**
 * The synonym graph over the embedded terms: edges are the relation verdicts kept by the gate
 * (`minPSynonym` rebuilds it at another threshold from the stored probabilities; seeds always
 * count), cannot-links are the stored antonym constraints.
 */
export function loadTermGraph(db: Db, options: { minPSynonym?: number } = {}): TermGraph {
  const { termIds, vectors, dimensions } = readEmbeddings(db);
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
  return { graph, termOf: termIds, nodeOf, vectors: { vectors, dims: dimensions } };
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

export interface ClusterStageOptions {
  algorithm?: ClusterAlgorithm;
  seed?: number;
  synograph?: ClusterOptions['synograph'];
}

export interface ClusterStageReport {
  algorithm: ClusterAlgorithm;
  nodes: number;
  edges: number;
  cannotLinks: number;
  clusters: number;
  clustersOfTwoOrMore: number;
  singletons: number;
  largest: number;
  alternatives: number;
  /** Clusters of >= 2 whose weakest stored verdict inside is under the gate (drift). */
  clustersUnderGate: number;
  seconds: { graph: number; cluster: number; store: number };
}

/**
 * Minimum and mean P(synonym) over the stored verdicts whose two terms share a cluster: a cluster
 * that holds a pair the discriminator scored low has drifted.
 */
function verdictSummary(db: Db, graph: TermGraph, assignment: Int32Array, clusterCount: number): { min: Float32Array; mean: Float32Array } {
  const min = new Float32Array(clusterCount).fill(NaN);
  const sum = new Float64Array(clusterCount);
  const count = new Int32Array(clusterCount);
  for (const [a, b, p] of db.prepare('SELECT a, b, p_synonym FROM relation_predictions').raw().iterate() as IterableIterator<[number, number, number]>) {
    const na = a < graph.nodeOf.length ? graph.nodeOf[a] : -1;
    const nb = b < graph.nodeOf.length ? graph.nodeOf[b] : -1;
    if (na < 0 || nb < 0) continue;
    const c = assignment[na];
    if (c < 0 || c !== assignment[nb]) continue;
    if (!(min[c] <= p)) min[c] = p;
    sum[c] += p;
    count[c]++;
  }
  const mean = new Float32Array(clusterCount);
  for (let c = 0; c < clusterCount; c++) mean[c] = count[c] === 0 ? NaN : sum[c] / count[c];
  return { min, mean };
}

/** Stores a clustering of the term graph, replacing the previous one; the caller owns the transaction. */
export function storeClustering(db: Db, graph: TermGraph, result: ClusteringResult): { clusters: number; clustersUnderGate: (gate: number) => number } {
  const { assignment, clusterCount } = result;
  const size = new Int32Array(clusterCount);
  for (let t = 0; t < assignment.length; t++) if (assignment[t] >= 0) size[assignment[t]]++;
  const { min, mean } = verdictSummary(db, graph, assignment, clusterCount);
  const primary = assignment.reduce((n, c) => (c >= 0 ? n + 1 : n), 0);
  const alt = result.alternatives;
  const total = primary + alt.node.length;
  const memberTerm = new Int32Array(total);
  const memberCluster = new Int32Array(total);
  const memberSupport = new Float32Array(total);
  const memberPrimary = new Uint8Array(total);
  let k = 0;
  for (let t = 0; t < assignment.length; t++) {
    if (assignment[t] < 0) continue;
    memberTerm[k] = graph.termOf[t];
    memberCluster[k] = assignment[t];
    memberSupport[k] = result.support[t];
    memberPrimary[k] = 1;
    k++;
  }
  for (let i = 0; i < alt.node.length; i++, k++) {
    memberTerm[k] = graph.termOf[alt.node[i]];
    memberCluster[k] = alt.cluster[i];
    memberSupport[k] = alt.support[i];
  }
  writeClustering(db, {
    algorithm: result.algorithm,
    representative: Int32Array.from(result.representative, (node) => (node >= 0 ? graph.termOf[node] : -1)),
    size,
    minPSynonym: min,
    meanPSynonym: mean,
    memberTerm,
    memberCluster,
    memberSupport,
    memberPrimary,
  });
  return {
    clusters: clusterCount,
    clustersUnderGate: (gate) => {
      let n = 0;
      for (let c = 0; c < clusterCount; c++) if (size[c] >= 2 && min[c] < gate) n++;
      return n;
    },
  };
}

export function runClusterStage(db: Db, options: ClusterStageOptions & { gate: number }): ClusterStageReport {
  const algorithm = options.algorithm ?? 'synograph';
  let t = performance.now();
  const graph = loadTermGraph(db);
  const graphSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const result = clusterGraph(graph.graph, algorithm, { seed: options.seed, vectors: graph.vectors, synograph: options.synograph });
  const clusterSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const stored = db.transaction(() => storeClustering(db, graph, result))();
  const storeSeconds = (performance.now() - t) / 1000;
  const size = new Int32Array(result.clusterCount);
  for (const c of result.assignment) if (c >= 0) size[c]++;
  let multi = 0;
  let singletons = 0;
  let largest = 0;
  for (const s of size) {
    if (s >= 2) multi++;
    else if (s === 1) singletons++;
    if (s > largest) largest = s;
  }
  return {
    algorithm,
    nodes: graph.graph.nodeCount,
    edges: graph.graph.edgeCount,
    cannotLinks: graph.graph.cannotLinkCount,
    clusters: result.clusterCount,
    clustersOfTwoOrMore: multi,
    singletons,
    largest,
    alternatives: result.alternatives.node.length,
    clustersUnderGate: stored.clustersUnderGate(options.gate),
    seconds: { graph: graphSeconds, cluster: clusterSeconds, store: storeSeconds },
  };
}

/** Each node's normalised term (nodes are the embedded terms in id order, whatever the gate). */
export function nodeNorms(db: Db, graph: TermGraph): string[] {
  const norms = new Array<string>(graph.termOf.length);
  for (const [id, norm] of db.prepare('SELECT id, norm FROM terms').raw().iterate() as IterableIterator<[number, string]>) {
    const node = id < graph.nodeOf.length ? graph.nodeOf[id] : -1;
    if (node >= 0) norms[node] = norm;
  }
  return norms;
}

/** Clusters of >= 2 members as normalised terms (the shape eval and the gold export use), ids c0, c1, ... by node order. */
export function namedClusters(norms: readonly string[], result: ClusteringResult): { id: string; members: string[] }[] {
  const groups = new Map<number, string[]>();
  for (let t = 0; t < result.assignment.length; t++) {
    const c = result.assignment[t];
    if (c < 0) continue;
    const list = groups.get(c);
    if (list) list.push(norms[t]);
    else groups.set(c, [norms[t]]);
  }
  const out: { id: string; members: string[] }[] = [];
  for (const members of groups.values()) if (members.length >= 2) out.push({ id: `c${out.length}`, members });
  return out;
}
