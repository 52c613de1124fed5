/**
 * Soft clustering ("expansion", PAPER.md stage 5) and topological-voting pruning (stage 6),
 * shared by the `paper` algorithm (exact reproduction) and `synograph` (with its switches).
 *
 * Memberships are kept twice, as contiguous lists in two pools: each cluster's members and each
 * node's clusters. No object per node, edge or cluster.
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

/**
 * Many growable Int32 lists in one pool: a full list moves to the pool's end with twice the
 * capacity (the hole it leaves is at most the size of what survives). Lists stay contiguous,
 * which matters at millions of clusters: a linked list costs one cache miss per member.
 */
class SlabLists {
  readonly start = new GrowableInt32(1 << 14);
  readonly len = new GrowableInt32(1 << 14);
  readonly cap = new GrowableInt32(1 << 14);
  pool = new Int32Array(1 << 16);
  private used = 0;

  add(): number {
    this.start.push(0);
    this.cap.push(0);
    return this.len.push(0);
  }

  push(list: number, x: number): void {
    const len = this.len.data[list];
    if (len === this.cap.data[list]) {
      const cap = Math.max(2, len * 2);
      if (this.used + cap > this.pool.length) {
        const next = new Int32Array(Math.max(this.pool.length * 2, this.used + cap));
        next.set(this.pool.subarray(0, this.used));
        this.pool = next;
      }
      const from = this.start.data[list];
      this.pool.copyWithin(this.used, from, from + len);
      this.start.data[list] = this.used;
      this.cap.data[list] = cap;
      this.used += cap;
    }
    this.pool[this.start.data[list] + len] = x;
    this.len.data[list] = len + 1;
  }
}

export class SoftClusters {
  /** cluster -> members. */
  readonly members = new SlabLists();
  /** node -> clusters holding it. */
  readonly clustersOfNode = new SlabLists();

  constructor(readonly nodeCount: number) {
    for (let t = 0; t < nodeCount; t++) this.clustersOfNode.add();
  }

  get clusterCount(): number {
    return this.members.len.length;
  }

  size(cluster: number): number {
    return this.members.len.data[cluster];
  }

  membershipCount(node: number): number {
    return this.clustersOfNode.len.data[node];
  }

  open(): number {
    return this.members.add();
  }

  add(node: number, cluster: number): void {
    this.members.push(cluster, node);
    this.clustersOfNode.push(node, cluster);
  }

  has(node: number, cluster: number): boolean {
    const l = this.clustersOfNode;
    const pool = l.pool;
    for (let i = l.start.data[node], end = i + l.len.data[node]; i < end; i++) if (pool[i] === cluster) return true;
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
  if (soft.size(cluster) <= end - start) {
    const l = soft.members;
    const pool = l.pool;
    for (let m = l.start.data[cluster], mEnd = m + l.len.data[cluster]; m < mEnd; m++) {
      const x = pool[m];
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
    const l = soft.members;
    const pool = l.pool;
    const stamp = this.stamp;
    let sum = 0;
    for (let m = l.start.data[cluster], mEnd = m + l.len.data[cluster]; m < mEnd; m++) {
      const x = pool[m];
      if (stampOf[x] === stamp) sum += weighted ? this.weightOf[x] : 1;
    }
    return sum;
  }
}

function mayJoin(graph: SynonymGraph, soft: SoftClusters, row: MarkedRow, cluster: number, opt: ExpansionOptions): boolean {
  const t = row.node;
  const size = soft.size(cluster);
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
  const l = soft.clustersOfNode;
  for (let i = l.start.data[node], end = i + l.len.data[node]; i < end; i++) out.push(l.pool[i]);
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
    if (soft.membershipCount(u) === 0 && soft.membershipCount(v) === 0) {
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
  const l = soft.clustersOfNode;
  const size = soft.members.len.data;
  for (let t = 0; t < n; t++) {
    const count = l.len.data[t];
    if (count === 0) continue;
    const first = l.start.data[t];
    if (count === 1) {
      clusterOf[t] = l.pool[first];
      continue;
    }
    let best = -1;
    let bestScore = -1;
    for (let i = first; i < first + count; i++) {
      const c = l.pool[i];
      const score = softSupport(graph, soft, t, c, weighted);
      if (best === -1 || score > bestScore || (score === bestScore && (size[c] < size[best] || (size[c] === size[best] && c < best)))) {
        best = c;
        bestScore = score;
      }
    }
    clusterOf[t] = best;
    for (let i = first; i < first + count; i++) {
      if (l.pool[i] === best) continue;
      loseNode.push(t);
      loseCluster.push(l.pool[i]);
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
