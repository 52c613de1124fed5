/**
 * The clustering result (plain data on typed arrays) and the finishing steps every algorithm
 * shares: compact cluster numbering, per-node support, representatives.
 */
import { defaultClusteringEngine, requireClusteringAddon, type ClusteringEngine } from './compiled.js';
import type { SynonymGraph } from './graph.js';

export type ClusterAlgorithm = 'synograph' | 'paper' | 'louvain' | 'components' | 'chineseWhispers' | 'watset';
export const CLUSTER_ALGORITHMS: readonly ClusterAlgorithm[] = ['synograph', 'paper', 'louvain', 'components', 'chineseWhispers', 'watset'];

export interface Alternatives {
  node: Int32Array;
  cluster: Int32Array;
  support: Float32Array;
}

export interface ClusteringResult {
  algorithm: ClusterAlgorithm;
  clusterCount: number;
  /** node -> cluster index; -1 only where the algorithm leaves a node unclustered (paper). */
  assignment: Int32Array;
  /** Share of the node's co-members that are its synonym neighbours: |N(t) ∩ C \ {t}| / (|C| - 1); 0 for singletons. */
  support: Float32Array;
  /** cluster -> representative node. */
  representative: Int32Array;
  /** Losing soft memberships (polysemy), support = |N(t) ∩ C| / |C|; may be empty. */
  alternatives: Alternatives;
}

/**
 * Optional node vectors for centroid representatives, read on demand: only the members of clusters
 * of two or more need theirs, so the cluster stage reads those from the store instead of holding
 * every term's vector (0.45 GiB at 928k terms, 7.2 GiB at 15M).
 */
export interface NodeVectors {
  dims: number;
  /** The vectors of `nodes` (any order, repeats allowed), row after row. */
  read(nodes: Int32Array): Float32Array;
}

/** Node vectors from a row-major matrix, node i at row i. */
export function matrixVectors(vectors: Float32Array, dims: number): NodeVectors {
  const rows = vectors.length / dims;
  return {
    dims,
    read(nodes) {
      const out = new Float32Array(nodes.length * dims);
      nodes.forEach((node, i) => {
        if (!(node >= 0 && node < rows)) throw new RangeError(`vectors hold ${rows} rows, node ${node} asked for`);
        out.set(vectors.subarray(node * dims, (node + 1) * dims), i * dims);
      });
      return out;
    },
  };
}

export const NO_ALTERNATIVES: Alternatives = { node: new Int32Array(0), cluster: new Int32Array(0), support: new Float32Array(0) };

/**
 * Renumbers cluster labels to 0..k-1 in order of first appearance by node id (labels < 0 stay
 * -1). With `singletons`, unlabelled nodes get clusters of their own, numbered after the rest.
 * Returns the compact assignment and the label -> index map (Int32Array over old labels, -1 if gone).
 */
export function compactLabels(labels: Int32Array, labelCount: number, singletons: boolean): { assignment: Int32Array; clusterCount: number; map: Int32Array } {
  const map = new Int32Array(labelCount).fill(-1);
  const assignment = new Int32Array(labels.length);
  let k = 0;
  for (let t = 0; t < labels.length; t++) {
    const c = labels[t];
    if (c < 0) {
      assignment[t] = -1;
      continue;
    }
    if (map[c] === -1) map[c] = k++;
    assignment[t] = map[c];
  }
  if (singletons) for (let t = 0; t < labels.length; t++) if (assignment[t] === -1) assignment[t] = k++;
  return { assignment, clusterCount: k, map };
}

/** Members of each cluster as a CSR (counting sort by cluster; members in node order). */
export function clusterMembers(assignment: Int32Array, clusterCount: number): { offsets: Int32Array; members: Int32Array } {
  const offsets = new Int32Array(clusterCount + 1);
  for (let t = 0; t < assignment.length; t++) if (assignment[t] >= 0) offsets[assignment[t] + 1]++;
  for (let c = 0; c < clusterCount; c++) offsets[c + 1] += offsets[c];
  const cursor = offsets.slice(0, clusterCount);
  const members = new Int32Array(offsets[clusterCount]);
  for (let t = 0; t < assignment.length; t++) if (assignment[t] >= 0) members[cursor[assignment[t]]++] = t;
  return { offsets, members };
}

/**
 * Per-node support in its assigned cluster (see ClusteringResult.support) and, per cluster, the
 * member with the highest weighted degree inside it (ties -> lowest node id). One scan of the
 * rows gives both: each reads a random label per half-edge, which cost 40 s a scan at 15M nodes
 * (34 s in JS, in one scan; native/result.cc does it on two threads, the same numbers).
 */
function scanRows(graph: SynonymGraph, assignment: Int32Array, clusterCount: number, engine: ClusteringEngine): { support: Float32Array; heaviest: Int32Array } {
  if (engine === 'native') {
    const support = new Float32Array(assignment.length);
    const heaviest = new Int32Array(clusterCount);
    const { offsets, targets, weights } = graph.synonyms;
    requireClusteringAddon('result scan').scanRows(offsets, targets, weights, assignment, clusterCount, support, heaviest);
    return { support, heaviest };
  }
  const size = new Int32Array(clusterCount);
  for (let t = 0; t < assignment.length; t++) if (assignment[t] >= 0) size[assignment[t]]++;
  const { offsets, targets, weights } = graph.synonyms;
  const support = new Float32Array(assignment.length);
  const heaviest = new Int32Array(clusterCount).fill(-1);
  const score = new Float64Array(clusterCount).fill(-Infinity);
  for (let t = 0; t < assignment.length; t++) {
    const c = assignment[t];
    if (c < 0) continue;
    let inside = 0;
    let s = 0;
    for (let h = offsets[t], end = offsets[t + 1]; h < end; h++) {
      if (assignment[targets[h]] !== c) continue;
      inside++;
      s += weights[h];
    }
    if (size[c] >= 2) support[t] = inside / (size[c] - 1);
    if (s > score[c]) {
      score[c] = s;
      heaviest[c] = t;
    }
  }
  return { support, heaviest };
}

/**
 * cluster -> the member closest (squared Euclidean) to the cluster centroid; ties -> lowest node
 * id. A singleton's member is its own centroid, so vectors are read and centroids summed for the
 * members of clusters of two or more only: nearly all clusters of a large build are singletons (at
 * 928k nodes, 4,087 of 924,645 clusters have two members or more), and a centroid for each took
 * 0.95 GB there.
 */
function centroidRepresentatives(assignment: Int32Array, clusterCount: number, vectors: NodeVectors): Int32Array {
  const { dims } = vectors;
  const size = new Int32Array(clusterCount);
  for (let t = 0; t < assignment.length; t++) if (assignment[t] >= 0) size[assignment[t]]++;
  const rep = new Int32Array(clusterCount).fill(-1);
  // Clusters of two or more, numbered densely for their centroids; their members in node order.
  const slot = new Int32Array(clusterCount).fill(-1);
  let multi = 0;
  let members = 0;
  for (let c = 0; c < clusterCount; c++) if (size[c] >= 2) {
    slot[c] = multi++;
    members += size[c];
  }
  const nodes = new Int32Array(members);
  for (let t = 0, k = 0; t < assignment.length; t++) {
    const c = assignment[t];
    if (c < 0) continue;
    if (slot[c] < 0) rep[c] = t;
    else nodes[k++] = t;
  }
  const v = vectors.read(nodes);
  const centroid = new Float64Array(multi * dims);
  for (let k = 0; k < nodes.length; k++) {
    const at = slot[assignment[nodes[k]]] * dims;
    for (let j = 0; j < dims; j++) centroid[at + j] += v[k * dims + j];
  }
  for (let c = 0; c < clusterCount; c++) if (slot[c] >= 0) for (let j = 0, at = slot[c] * dims; j < dims; j++) centroid[at + j] /= size[c];
  const score = new Float64Array(multi).fill(-Infinity);
  for (let k = 0; k < nodes.length; k++) {
    const c = assignment[nodes[k]];
    const at = slot[c] * dims;
    let d = 0;
    for (let j = 0; j < dims; j++) {
      const x = v[k * dims + j] - centroid[at + j];
      d += x * x;
    }
    if (-d > score[slot[c]]) {
      score[slot[c]] = -d;
      rep[c] = nodes[k];
    }
  }
  return rep;
}

/** Assembles a result from hard labels (labels < 0 = unclustered). */
export function finishResult(
  graph: SynonymGraph,
  algorithm: ClusterAlgorithm,
  labels: Int32Array,
  labelCount: number,
  opts: { singletons: boolean; vectors?: NodeVectors; engine?: ClusteringEngine },
): ClusteringResult & { map: Int32Array } {
  const { assignment, clusterCount, map } = compactLabels(labels, labelCount, opts.singletons);
  // Representatives: with vectors, the member closest to the centroid; else the heaviest inside.
  const { support, heaviest } = scanRows(graph, assignment, clusterCount, opts.engine ?? defaultClusteringEngine());
  return {
    algorithm,
    clusterCount,
    assignment,
    support,
    representative: opts.vectors ? centroidRepresentatives(assignment, clusterCount, opts.vectors) : heaviest,
    alternatives: NO_ALTERNATIVES,
    map,
  };
}
