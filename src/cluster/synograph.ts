/**
 * `synograph`: the paper's expansion/pruning made robust. Each change over the paper has a switch
 * (SynographOptions) so that an ablation can measure it:
 * - cannotLinks: a word never joins a cluster holding a cannot-link partner; a cannot-linked
 *   edge never opens a cluster;
 * - weighted: support sums P(synonym) instead of counting edges;
 * - maxClusterSize: clusters stop growing at this size (0 = unbounded);
 * - recheck: after pruning, members whose support in their cluster is at or under the threshold
 *   are peeled (worst first, re-scoring after each removal), so a shrunken cluster cannot keep
 *   members that no longer support each other (this stops drift chains);
 * - reexpand: words left free (peeled, dropped, never clustered) get another pass over the edges
 *   in confidence order: two free words open a cluster, a free word joins its neighbour's cluster
 *   under the same test; peel/reexpand repeat until nothing changes (at most maxIterations),
 *   then a final peel guarantees the support invariant;
 * - alternatives: losing soft memberships kept as scored alternative senses.
 * Every node ends in exactly one cluster (singletons for the unsupported).
 * Order independence: the graph is a deduplicated, sorted CSR and edges are processed in the
 * paper's total order (confidence, then ids), so the input edge order cannot matter.
 */
import { edgesTouching, findInRow, type SynonymGraph } from './graph.js';
import { GrowableFloat32, GrowableInt32 } from '../util/growable.js';
import { edgeOrder, ORDER_CHUNK_EDGES, type ChunkedEdgeOrder, type EdgeOrder } from './order.js';
import { clusterMembers, finishResult, type ClusteringResult, type NodeVectors } from './result.js';
import { defaultClusteringEngine, requireClusteringAddon, type ClusteringAddon, type ClusteringEngine } from './compiled.js';
import { expand, lookup, prune, rowFilters, type ExpansionOptions } from './soft.js';

export interface SynographOptions {
  threshold?: number;
  cannotLinks?: boolean;
  weighted?: boolean;
  maxClusterSize?: number;
  recheck?: boolean;
  reexpand?: boolean;
  maxIterations?: number;
  alternatives?: boolean;
  vectors?: NodeVectors;
  /** Edges per chunk of the edge order (memory knob; the result does not depend on it). */
  orderChunkEdges?: number;
  /** Who runs the edge order, expansion, pruning, peeling and reexpansion passes and the result's scan (speed only; the result does not depend on it). */
  expansion?: ClusteringEngine;
  /** Told each pass's wall seconds as it ends, for benchmarks (the result does not depend on it). */
  onPhase?: (phase: SynographPhase, seconds: number) => void;
}

/**
 * The clustering's passes in their order: `peel` and `reexpand` once a round (while either
 * changes something), then a last `peel`; a pass switched off is not told. `expansion` includes
 * waiting for the edge order's chunks, which are sorted on another thread beside it.
 */
export type SynographPhase = 'order' | 'filters' | 'expansion' | 'pruning' | 'peel' | 'reexpand' | 'result' | 'alternatives';

export const SYNOGRAPH_DEFAULTS: Required<Omit<SynographOptions, 'vectors' | 'orderChunkEdges' | 'expansion' | 'onPhase'>> = {
  threshold: 0.51,
  cannotLinks: true,
  weighted: false,
  maxClusterSize: 0,
  recheck: true,
  reexpand: true,
  maxIterations: 10,
  alternatives: true,
};

/** Hard-clustering state during refinement: labels plus sizes; new clusters get fresh labels. */
class Hard {
  readonly size: GrowableInt32;
  /**
   * Clusters that gained members since the last peel (repeats allowed). A peeled cluster meets
   * the support test until a member joins it (other clusters' changes leave its members' support
   * alone, and reexpand only adds), so after the first peel only these need another.
   */
  readonly grown = new GrowableInt32(1024);
  peeled = false;
  constructor(
    readonly clusterOf: Int32Array,
    labelCount: number,
  ) {
    this.size = new GrowableInt32(labelCount + 1024);
    this.size.length = labelCount;
    this.size.data.fill(0);
    for (let t = 0; t < clusterOf.length; t++) if (clusterOf[t] >= 0) this.size.data[clusterOf[t]]++;
  }
}

/** Sum (weighted) or count of t's neighbours labelled c. */
function hardSupport(graph: SynonymGraph, clusterOf: Int32Array, t: number, c: number, weighted: boolean): number {
  const { offsets, targets, weights } = graph.synonyms;
  let s = 0;
  for (let h = offsets[t], end = offsets[t + 1]; h < end; h++) if (clusterOf[targets[h]] === c) s += weighted ? weights[h] : 1;
  return s;
}

function hardConflict(graph: SynonymGraph, clusterOf: Int32Array, t: number, c: number): boolean {
  const { offsets, targets } = graph.cannotLinks;
  for (let h = offsets[t], end = offsets[t + 1]; h < end; h++) if (clusterOf[targets[h]] === c) return true;
  return false;
}

/**
 * support of group[i] inside its group: the same sum as hardSupport (neighbours in ascending id
 * order, which is row order, as the group is sorted), but found by looking the group's members
 * up in t's row rather than reading the label of every neighbour: at millions of nodes each
 * label read is a cache miss, while the group's rows stay in cache.
 */
function groupSupport(graph: SynonymGraph, filter: Int32Array, group: Int32Array, len: number, i: number, weighted: boolean): number {
  const { weights } = graph.synonyms;
  const t = group[i];
  let s = 0;
  for (let j = 0; j < len; j++) {
    if (j === i) continue;
    const h = lookup(filter, graph, t, group[j]);
    if (h >= 0) s += weighted ? weights[h] : 1;
  }
  return s;
}

/**
 * Peels every cluster (after the first peel, those that grew since) until each member's
 * support / (|C| - 1) exceeds the threshold. The worst member goes first (ties: the higher id),
 * then its co-members are re-scored. A cluster left with one member frees it. Returns whether
 * anything changed.
 */
function peel(graph: SynonymGraph, filter: Int32Array, hard: Hard, opt: ExpansionOptions, engine: ClusteringEngine): boolean {
  const { clusterOf } = hard;
  let only: Uint8Array | null = null;
  if (hard.peeled) {
    only = new Uint8Array(hard.size.length);
    for (let i = 0; i < hard.grown.length; i++) only[hard.grown.data[i]] = 1;
  }
  hard.peeled = true;
  hard.grown.length = 0;
  if (engine === 'native') {
    const compiled = requireClusteringAddon('peel');
    const { offsets, targets, weights } = graph.synonyms;
    return compiled.peelHard(offsets, targets, weights, filter, clusterOf, hard.size.data, hard.size.length, opt.threshold, opt.weighted, only);
  }
  const { offsets: mo, members } = clusterMembers(clusterOf, hard.size.length);
  const { offsets, weights } = graph.synonyms;
  let changed = false;
  let score = new Float64Array(64);
  for (let c = 0; c < hard.size.length; c++) {
    const start = mo[c];
    let len = mo[c + 1] - start;
    if (len === 0 || (only && !only[c])) continue;
    if (len > score.length) score = new Float64Array(len * 2);
    const group = members.subarray(start, start + len); // shrinks by swapping removed members to the end
    // Pairwise lookups while they cost less than reading every member's row.
    let degrees = 0;
    for (let i = 0; i < len; i++) degrees += offsets[group[i] + 1] - offsets[group[i]];
    const pairwise = len * len <= 4 * degrees;
    for (let i = 0; i < len; i++) score[i] = pairwise ? groupSupport(graph, filter, group, len, i, opt.weighted) : hardSupport(graph, clusterOf, group[i], c, opt.weighted);
    while (len > 0) {
      let worst = -1;
      for (let i = 0; i < len; i++) {
        if (worst === -1 || score[i] < score[worst] || (score[i] === score[worst] && group[i] > group[worst])) worst = i;
      }
      if (len >= 2 && score[worst] / (len - 1) > opt.threshold) break;
      // Remove `worst`: free it and lower its co-members' scores.
      const x = group[worst];
      clusterOf[x] = -1;
      changed = true;
      for (let i = 0; i < len; i++) {
        if (i === worst) continue;
        const j = findInRow(graph.synonyms, group[i], x);
        if (j >= 0) score[i] -= opt.weighted ? weights[j] : 1;
      }
      len--;
      group[worst] = group[len];
      score[worst] = score[len];
    }
    hard.size.data[c] = len;
  }
  return changed;
}

/** One more expansion pass in confidence order for edges touching a free word. */
function reexpand(graph: SynonymGraph, hard: Hard, order: ChunkedEdgeOrder, opt: ExpansionOptions, chunkEdges: number, engine: ClusteringEngine): boolean {
  let changed = false;
  const compiled = engine === 'native' ? requireClusteringAddon('reexpansion') : null;
  for (const chunk of freeEdgeOrder(graph, hard.clusterOf, order, chunkEdges, engine).chunks()) {
    if (compiled ? reexpandCompiled(compiled, graph, hard, chunk, opt) : reexpandChunk(graph, hard, chunk, opt)) changed = true;
  }
  return changed;
}

/** reexpandChunk in native/expand.cc, the same joins in the same order; 15M planted graph: ~75 s of a 630 s clustering in JS. */
function reexpandCompiled(addon: ClusteringAddon, graph: SynonymGraph, hard: Hard, order: EdgeOrder, opt: ExpansionOptions): boolean {
  const { clusterOf, size, grown } = hard;
  let free = 0;
  for (let t = 0; t < clusterOf.length; t++) if (clusterOf[t] < 0) free++;
  // A new cluster takes two free words, a join one: the most either list can grow by.
  size.reserve(size.length + Math.floor(free / 2));
  grown.reserve(grown.length + free);
  const { offsets, targets, weights } = graph.synonyms;
  const cannot = graph.cannotLinks;
  const [sizeLength, grownLength, changed] = addon.reexpandHard(
    offsets, targets, weights, cannot.offsets, cannot.targets, clusterOf, size.data, size.length, grown.data, grown.length,
    order.src, order.dst, order.length, opt.threshold, opt.weighted, opt.cannotLinks, opt.maxClusterSize,
  );
  size.length = sizeLength;
  grown.length = grownLength;
  return changed;
}

/**
 * The edges a reexpand pass can act on: those touching a word free at its start (an edge between
 * two clustered words is skipped, and a pass never frees a word). When the full order takes more
 * than one chunk (each rebuilt by a scan of the whole CSR), their own order is cheaper: on the
 * 1M planted graph 2.6% of the words are free after the first peel and 0.3% after the next ones.
 */
function freeEdgeOrder(graph: SynonymGraph, clusterOf: Int32Array, order: ChunkedEdgeOrder, chunkEdges: number, engine: ClusteringEngine): ChunkedEdgeOrder {
  if (order.chunkCount <= 1) return order;
  const free = new Uint8Array(clusterOf.length);
  for (let t = 0; t < clusterOf.length; t++) free[t] = clusterOf[t] < 0 ? 1 : 0;
  // At most two chunks' worth of half-edges (8 bytes each, plus 4 for their own order: 800 MB
  // at the default chunk): past that, the full order. The first round on the 15M planted graph
  // needs 44M half-edges (385k free words): 15 s with their own order, 72 s through the full
  // one. With the soft lists freed first (SoftClusters.release) the clustering peaked at 11.64 GiB
  // under this cap, against 11.94 under one chunk with the lists held (bench:cluster).
  const touching = edgesTouching(graph.synonyms, free, 2 * chunkEdges);
  return touching ? edgeOrder(touching, chunkEdges, engine) : order;
}

function reexpandChunk(graph: SynonymGraph, hard: Hard, order: EdgeOrder, opt: ExpansionOptions): boolean {
  const { clusterOf } = hard;
  const { src, dst } = order;
  let changed = false;
  for (let k = 0; k < order.length; k++) {
    const u = src[k];
    const v = dst[k];
    const cu = clusterOf[u];
    const cv = clusterOf[v];
    if (cu >= 0 && cv >= 0) continue;
    if (cu < 0 && cv < 0) {
      if (opt.cannotLinks && findInRow(graph.cannotLinks, u, v) >= 0) continue;
      const c = hard.size.push(2);
      hard.grown.push(c);
      clusterOf[u] = c;
      clusterOf[v] = c;
      changed = true;
      continue;
    }
    const t = cu < 0 ? u : v;
    const c = cu < 0 ? cv : cu;
    const size = hard.size.data[c];
    if (opt.maxClusterSize > 0 && size >= opt.maxClusterSize) continue;
    if (hardSupport(graph, clusterOf, t, c, opt.weighted) / size <= opt.threshold) continue;
    if (opt.cannotLinks && hardConflict(graph, clusterOf, t, c)) continue;
    clusterOf[t] = c;
    hard.size.data[c]++;
    hard.grown.push(c);
    changed = true;
  }
  return changed;
}

export function synographClusters(graph: SynonymGraph, options: SynographOptions = {}): ClusteringResult {
  const o = { ...SYNOGRAPH_DEFAULTS, ...options };
  const exp: ExpansionOptions = { threshold: o.threshold, weighted: o.weighted, cannotLinks: o.cannotLinks, maxClusterSize: o.maxClusterSize };
  const engine = o.expansion ?? defaultClusteringEngine();
  let mark = performance.now();
  const ended = (phase: SynographPhase): void => {
    const now = performance.now();
    o.onPhase?.(phase, (now - mark) / 1000);
    mark = now;
  };
  const chunkEdges = o.orderChunkEdges ?? ORDER_CHUNK_EDGES;
  const order = edgeOrder(graph.synonyms, chunkEdges, engine);
  ended('order');
  const filter = rowFilters(graph);
  ended('filters');
  const soft = expand(graph, order, exp, filter, engine);
  ended('expansion');
  const { clusterOf, losers } = prune(graph, soft, o.weighted, filter, engine);
  // The soft lists are read for the last time: their memory is the refinement's room.
  soft.release();
  ended('pruning');
  const hard = new Hard(clusterOf, soft.clusterCount);
  if (o.recheck || o.reexpand) {
    for (let iter = 0; iter < o.maxIterations; iter++) {
      const peeled = o.recheck ? peel(graph, filter, hard, exp, engine) : false;
      if (o.recheck) ended('peel');
      const joined = o.reexpand ? reexpand(graph, hard, order, exp, chunkEdges, engine) : false;
      if (o.reexpand) ended('reexpand');
      if (!peeled && !joined) break;
    }
    if (o.recheck) {
      peel(graph, filter, hard, exp, engine);
      ended('peel');
    }
  }
  const { map, ...result } = finishResult(graph, 'synograph', hard.clusterOf, hard.size.length, { singletons: true, vectors: o.vectors, engine });
  ended('result');
  if (o.alternatives) {
    result.alternatives = alternativeSenses(graph, result.assignment, result.clusterCount, losers, map);
    ended('alternatives');
  }
  return result;
}

/**
 * Losing soft memberships whose cluster survived (under its final index), scored
 * |N(t) ∩ C| / |C| against the final members; zero-support ones are dropped. The count looks
 * C's members up in t's sorted row where C is not much larger than the row (a few lines of one
 * row instead of a random label per half-edge). 15M planted graph: the pass took 8.3-11.5 s,
 * against 12.6-13.8 s reading the labels.
 */
function alternativeSenses(
  graph: SynonymGraph,
  assignment: Int32Array,
  clusterCount: number,
  losers: { node: Int32Array; cluster: Int32Array },
  map: Int32Array,
): ClusteringResult['alternatives'] {
  const { offsets: mo, members } = clusterMembers(assignment, clusterCount);
  const { offsets } = graph.synonyms;
  const node = new GrowableInt32(losers.node.length + 4);
  const cluster = new GrowableInt32(losers.node.length + 4);
  const support = new GrowableFloat32(losers.node.length + 4);
  for (let i = 0; i < losers.node.length; i++) {
    const t = losers.node[i];
    const c = map[losers.cluster[i]];
    if (c < 0 || c === assignment[t]) continue;
    const size = mo[c + 1] - mo[c];
    if (size < 2) continue;
    let shared = 0;
    if (size <= 4 * (offsets[t + 1] - offsets[t])) {
      for (let m = mo[c]; m < mo[c + 1]; m++) if (findInRow(graph.synonyms, t, members[m]) >= 0) shared++;
    } else shared = hardSupport(graph, assignment, t, c, false);
    const s = shared / size;
    if (s <= 0) continue;
    node.push(t);
    cluster.push(c);
    support.push(s);
  }
  return { node: node.view(), cluster: cluster.view(), support: support.view() };
}
