/**
 * Soft clustering ("expansion", PAPER.md stage 5) and topological-voting pruning (stage 6),
 * shared by the `paper` algorithm (exact reproduction) and `synograph` (with its switches).
 *
 * Memberships are records (node, cluster) in growable typed arrays, threaded on two linked
 * lists: the node's clusters and the cluster's members. No object per node, edge or cluster.
 */
import { findInRow, type SynonymGraph } from './graph.js';
import { GrowableInt32 } from './growable.js';
import type { EdgeOrder } from './order.js';

export interface ExpansionOptions {
  /** A word t joins C only if support(t, C) / |C| > threshold (strict; |C| before t joins). */
  threshold: number;
  /** Support = sum of P(synonym) of t's edges into C instead of their count. */
  weighted: boolean;
  /** Never put cannot-linked words in one cluster (never open, never join). */
  cannotLinks: boolean;
  /** 0 = unbounded; otherwise a cluster never grows past this many members. */
  maxClusterSize: number;
}

export const PAPER_EXPANSION: ExpansionOptions = { threshold: 0.51, weighted: false, cannotLinks: false, maxClusterSize: 0 };

export class SoftClusters {
  readonly nodeHead: Int32Array;
  readonly memNode = new GrowableInt32(1 << 16);
  readonly memCluster = new GrowableInt32(1 << 16);
  readonly memNextOfNode = new GrowableInt32(1 << 16);
  readonly memNextOfCluster = new GrowableInt32(1 << 16);
  readonly clusterHead = new GrowableInt32(1 << 14);
  readonly clusterSize = new GrowableInt32(1 << 14);

  constructor(readonly nodeCount: number) {
    this.nodeHead = new Int32Array(nodeCount).fill(-1);
  }

  get clusterCount(): number {
    return this.clusterHead.length;
  }

  open(): number {
    this.clusterSize.push(0);
    return this.clusterHead.push(-1);
  }

  add(node: number, cluster: number): void {
    const m = this.memNode.push(node);
    this.memCluster.push(cluster);
    this.memNextOfNode.push(this.nodeHead[node]);
    this.memNextOfCluster.push(this.clusterHead.data[cluster]);
    this.nodeHead[node] = m;
    this.clusterHead.data[cluster] = m;
    this.clusterSize.data[cluster]++;
  }

  has(node: number, cluster: number): boolean {
    const mc = this.memCluster.data;
    const next = this.memNextOfNode.data;
    for (let m = this.nodeHead[node]; m !== -1; m = next[m]) if (mc[m] === cluster) return true;
    return false;
  }
}

/**
 * support(t, C): count (or weight sum) of t's synonym neighbours inside C, t excluded.
 * Walks C's members with a binary search in t's row when C is the smaller side, else t's row
 * with a membership check.
 */
export function softSupport(graph: SynonymGraph, soft: SoftClusters, t: number, cluster: number, weighted: boolean): number {
  const { offsets, targets, weights } = graph.synonyms;
  const start = offsets[t];
  const end = offsets[t + 1];
  let sum = 0;
  if (soft.clusterSize.data[cluster] <= end - start) {
    const mn = soft.memNode.data;
    const next = soft.memNextOfCluster.data;
    for (let m = soft.clusterHead.data[cluster]; m !== -1; m = next[m]) {
      const x = mn[m];
      if (x === t) continue;
      const i = findInRow(graph.synonyms, t, x);
      if (i >= 0) sum += weighted ? weights[i] : 1;
    }
  } else {
    for (let h = start; h < end; h++) if (soft.has(targets[h], cluster)) sum += weighted ? weights[h] : 1;
  }
  return sum;
}

/** True when C holds a cannot-link partner of t. */
function softConflict(graph: SynonymGraph, soft: SoftClusters, t: number, cluster: number): boolean {
  const { offsets, targets } = graph.cannotLinks;
  for (let h = offsets[t], end = offsets[t + 1]; h < end; h++) if (soft.has(targets[h], cluster)) return true;
  return false;
}

/**
 * Neighbourhood of one endpoint, marked once per edge so that support(t, C) is one pass over
 * C's members with O(1) lookups (no binary search, no membership walks).
 */
class MarkedRow {
  readonly stampOf: Int32Array;
  readonly weightOf: Float32Array;
  private stamp = 0;
  node = -1;

  constructor(n: number) {
    this.stampOf = new Int32Array(n);
    this.weightOf = new Float32Array(n);
  }

  private marked = false;

  /** Sets the endpoint; its row is marked lazily, on the first support() call. */
  reset(t: number): void {
    this.node = t;
    this.marked = false;
  }

  private mark(graph: SynonymGraph): void {
    this.marked = true;
    const stamp = ++this.stamp;
    const stampOf = this.stampOf;
    const weightOf = this.weightOf;
    const { offsets, targets, weights } = graph.synonyms;
    for (let h = offsets[this.node], end = offsets[this.node + 1]; h < end; h++) {
      const x = targets[h];
      stampOf[x] = stamp;
      weightOf[x] = weights[h];
    }
  }

  support(graph: SynonymGraph, soft: SoftClusters, cluster: number, weighted: boolean): number {
    if (!this.marked) this.mark(graph);
    const stampOf = this.stampOf;
    const mn = soft.memNode.data;
    const next = soft.memNextOfCluster.data;
    const stamp = this.stamp;
    let sum = 0;
    for (let m = soft.clusterHead.data[cluster]; m !== -1; m = next[m]) {
      const x = mn[m];
      if (stampOf[x] === stamp) sum += weighted ? this.weightOf[x] : 1;
    }
    return sum;
  }
}

function mayJoin(graph: SynonymGraph, soft: SoftClusters, row: MarkedRow, cluster: number, opt: ExpansionOptions): boolean {
  const t = row.node;
  const size = soft.clusterSize.data[cluster];
  if (opt.maxClusterSize > 0 && size >= opt.maxClusterSize) return false;
  // Cheap bound first: t cannot reach the ratio with fewer neighbours than threshold * |C|.
  if (graph.synonyms.offsets[t + 1] - graph.synonyms.offsets[t] <= opt.threshold * size) return false;
  if (soft.has(t, cluster)) return false;
  if (row.support(graph, soft, cluster, opt.weighted) / size <= opt.threshold) return false;
  return !(opt.cannotLinks && softConflict(graph, soft, t, cluster));
}

/** Snapshot of the clusters holding `node` (it may join more while we iterate). */
function clustersOf(soft: SoftClusters, node: number, out: GrowableInt32): void {
  out.length = 0;
  const mc = soft.memCluster.data;
  const next = soft.memNextOfNode.data;
  for (let m = soft.nodeHead[node]; m !== -1; m = next[m]) out.push(mc[m]);
}

/** Stage 5: one pass over the edges in confidence order. */
export function expand(graph: SynonymGraph, order: EdgeOrder, opt: ExpansionOptions): SoftClusters {
  const soft = new SoftClusters(graph.nodeCount);
  const { targets } = graph.synonyms;
  const ofU = new GrowableInt32(16);
  const ofV = new GrowableInt32(16);
  const rowU = new MarkedRow(graph.nodeCount);
  const rowV = new MarkedRow(graph.nodeCount);
  for (let k = 0; k < order.length; k++) {
    const u = order.src[k];
    const v = targets[order.half[k]];
    if (soft.nodeHead[u] === -1 && soft.nodeHead[v] === -1) {
      if (opt.cannotLinks && findInRow(graph.cannotLinks, u, v) >= 0) continue;
      const c = soft.open();
      soft.add(u, c);
      soft.add(v, c);
      continue;
    }
    clustersOf(soft, v, ofV);
    clustersOf(soft, u, ofU);
    rowU.reset(u);
    for (let i = 0; i < ofV.length; i++) {
      const c = ofV.data[i];
      if (mayJoin(graph, soft, rowU, c, opt)) soft.add(u, c);
    }
    rowV.reset(v);
    for (let i = 0; i < ofU.length; i++) {
      const c = ofU.data[i];
      if (mayJoin(graph, soft, rowV, c, opt)) soft.add(v, c);
    }
  }
  return soft;
}

export interface Pruned {
  /** node -> cluster id (ids of the soft clustering), -1 when unclustered or its cluster dropped. */
  clusterOf: Int32Array;
  /** Memberships that lost the vote: node[i] was also in cluster[i]. */
  losers: { node: Int32Array; cluster: Int32Array };
}

/**
 * Stage 6: each word in several clusters keeps the one with most shared synonym-neighbours
 * (weighted sums when `weighted`); tie -> smaller cluster; tie -> lower cluster id. All
 * decisions read the pre-pruning snapshot. Then clusters with fewer than 2 members are dropped.
 */
export function prune(graph: SynonymGraph, soft: SoftClusters, weighted: boolean): Pruned {
  const n = graph.nodeCount;
  const clusterOf = new Int32Array(n).fill(-1);
  const loseNode = new GrowableInt32(1024);
  const loseCluster = new GrowableInt32(1024);
  const mc = soft.memCluster.data;
  const next = soft.memNextOfNode.data;
  const size = soft.clusterSize.data;
  for (let t = 0; t < n; t++) {
    const first = soft.nodeHead[t];
    if (first === -1) continue;
    if (next[first] === -1) {
      clusterOf[t] = mc[first];
      continue;
    }
    let best = -1;
    let bestScore = -1;
    for (let m = first; m !== -1; m = next[m]) {
      const c = mc[m];
      const score = softSupport(graph, soft, t, c, weighted);
      if (best === -1 || score > bestScore || (score === bestScore && (size[c] < size[best] || (size[c] === size[best] && c < best)))) {
        best = c;
        bestScore = score;
      }
    }
    clusterOf[t] = best;
    for (let m = first; m !== -1; m = next[m]) {
      if (mc[m] === best) continue;
      loseNode.push(t);
      loseCluster.push(mc[m]);
    }
  }
  dropSmall(clusterOf, soft.clusterCount, 2);
  return { clusterOf, losers: { node: loseNode.view(), cluster: loseCluster.view() } };
}

/** Unassigns the members of clusters with fewer than `min` members. Returns the sizes. */
export function dropSmall(clusterOf: Int32Array, clusterCount: number, min: number): Int32Array {
  const sizes = new Int32Array(clusterCount);
  for (let t = 0; t < clusterOf.length; t++) if (clusterOf[t] >= 0) sizes[clusterOf[t]]++;
  for (let t = 0; t < clusterOf.length; t++) {
    const c = clusterOf[t];
    if (c >= 0 && sizes[c] < min) {
      sizes[c]--;
      clusterOf[t] = -1;
    }
  }
  return sizes;
}
