/**
 * The synonym graph in CSR form on typed arrays, plus antonym cannot-links as a second CSR.
 *
 * Built from chunks of edges in two passes over the same source (count degrees, then fill), so
 * the only memory is the CSR itself: at 15M nodes / 520M edges that is 1.04G half-edges x 8 bytes
 * (Int32 target + Float32 weight) plus offsets, no object per edge and no Map per node.
 */
import { adviseHugePages } from '../util/native-addon.js';
import { defaultClusteringEngine, requireClusteringAddon, type ClusteringEngine } from './compiled.js';

/** Offsets: Uint32Array while the half-edge count fits 32 bits, Float64Array beyond. */
export type Offsets = Uint32Array | Float64Array;

/** One chunk of undirected edges: a[i] -- b[i] with weight w[i] (P(synonym)); `length` defaults to a.length. */
export interface EdgeChunk {
  a: Int32Array;
  b: Int32Array;
  w?: Float32Array;
  length?: number;
}

/** A re-iterable source of edge chunks: called once per build pass (twice). */
export type EdgeSource = () => Iterable<EdgeChunk>;

/** Symmetric adjacency: row u is targets[offsets[u] .. offsets[u+1]), sorted by target, unique. */
export interface Csr {
  nodeCount: number;
  offsets: Offsets;
  targets: Int32Array;
  /** Present on the synonym CSR; absent on the cannot-link CSR. */
  weights?: Float32Array;
}

export interface SynonymGraph {
  nodeCount: number;
  /** Undirected edges after dropping self loops and merging duplicates. */
  edgeCount: number;
  synonyms: Csr & { weights: Float32Array };
  /** Antonym cannot-links (undirected, unweighted); may be empty. */
  cannotLinks: Csr;
  cannotLinkCount: number;
}

const U32_LIMIT = 2 ** 32 - 1;

function chunkLength(c: EdgeChunk): number {
  return c.length ?? c.a.length;
}

/** A single in-memory edge list as an EdgeSource. */
export function edgeArrays(a: Int32Array, b: Int32Array, w?: Float32Array, length = a.length): EdgeSource {
  return () => [{ a, b, w, length }];
}

/** Small helper for tests and tools: edges as [a, b, w] triples. */
export function edgeList(edges: ReadonlyArray<readonly [number, number, number?]>): EdgeSource {
  const a = Int32Array.from(edges, (e) => e[0]);
  const b = Int32Array.from(edges, (e) => e[1]);
  const w = Float32Array.from(edges, (e) => e[2] ?? 1);
  return edgeArrays(a, b, w);
}

function checkNode(x: number, nodeCount: number): void {
  if (!(x >= 0 && x < nodeCount)) throw new RangeError(`edge endpoint ${x} outside 0..${nodeCount - 1}`);
}

/** The first edge of a chunk with an endpoint outside the nodes, as the JS's check reports it. */
function badEndpoint(chunk: EdgeChunk, i: number, nodeCount: number): never {
  checkNode(chunk.a[i], nodeCount);
  checkNode(chunk.b[i], nodeCount);
  throw new Error('the edge source changed between the two passes of the graph build');
}

/**
 * Two-pass counting build of a symmetric CSR. Self loops are dropped; duplicate edges (either
 * direction) keep the max weight; rows end sorted by target. The compiled passes (native/csr.cc)
 * build the same arrays: on the 1M planted graph 6.8 s in JS.
 */
export function buildCsr(nodeCount: number, source: EdgeSource, weighted: boolean, engine: ClusteringEngine = defaultClusteringEngine()): Csr {
  const addon = engine === 'native' ? requireClusteringAddon('graph build') : null;
  // Pass 1: degrees, accumulated in a Float64Array so they never overflow.
  const deg = new Float64Array(nodeCount + 1);
  for (const chunk of source()) {
    if (addon) {
      const bad = addon.csrDegrees(chunk.a, chunk.b, chunkLength(chunk), nodeCount, deg);
      if (bad >= 0) badEndpoint(chunk, bad, nodeCount);
      continue;
    }
    const { a, b } = chunk;
    const len = chunkLength(chunk);
    for (let i = 0; i < len; i++) {
      const u = a[i];
      const v = b[i];
      checkNode(u, nodeCount);
      checkNode(v, nodeCount);
      if (u === v) continue;
      deg[u]++;
      deg[v]++;
    }
  }
  let total = 0;
  for (let u = 0; u < nodeCount; u++) total += deg[u];
  const offsets: Offsets = total > U32_LIMIT ? new Float64Array(nodeCount + 1) : new Uint32Array(nodeCount + 1);
  // cursor reuses deg: after the prefix sum deg[u] is the next free slot of row u.
  let run = 0;
  for (let u = 0; u < nodeCount; u++) {
    const d = deg[u];
    offsets[u] = run;
    deg[u] = run;
    run += d;
  }
  offsets[nodeCount] = run;
  // Room for every half-edge as read; duplicates merged away are given back afterwards by
  // shrinking the (resizable) buffers: 7% of the edges of the planted graphs, 0.6 GB at 15M.
  const targetBuffer = shrinkableBuffer(total * 4);
  const weightBuffer = weighted ? shrinkableBuffer(total * 4) : undefined;
  const targets = new Int32Array(targetBuffer);
  const weights = weightBuffer ? new Float32Array(weightBuffer) : undefined;
  adviseHugePages(targets);
  if (weights) adviseHugePages(weights);

  // Pass 2: fill.
  for (const chunk of source()) {
    const { a, b, w } = chunk;
    if (addon) {
      const bad = addon.csrFill(a, b, w, chunkLength(chunk), offsets, deg, targets, weights);
      if (bad >= 0) badEndpoint(chunk, bad, nodeCount);
      continue;
    }
    const len = chunkLength(chunk);
    for (let i = 0; i < len; i++) {
      const u = a[i];
      const v = b[i];
      if (u === v) continue;
      const pu = deg[u]++;
      const pv = deg[v]++;
      targets[pu] = v;
      targets[pv] = u;
      if (weights) {
        const x = w ? w[i] : 1;
        weights[pu] = x;
        weights[pv] = x;
      }
    }
  }
  const kept = addon ? addon.csrSortRows(offsets, targets, weights) : sortAndMergeRows(nodeCount, offsets, targets, weights);
  targetBuffer.resize(kept * 4);
  weightBuffer?.resize(kept * 4);
  return { nodeCount, offsets, targets: new Int32Array(targetBuffer, 0, kept), weights: weightBuffer ? new Float32Array(weightBuffer, 0, kept) : undefined };
}

interface ShrinkableBuffer extends ArrayBuffer {
  resize(byteLength: number): void;
}

/** A resizable ArrayBuffer (ES2024; Node >= 20): shrinking it returns the pages to the system. */
function shrinkableBuffer(byteLength: number): ShrinkableBuffer {
  const Resizable = ArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => ShrinkableBuffer;
  return new Resizable(byteLength, { maxByteLength: byteLength });
}

/**
 * Sorts each row by target and merges duplicates (max weight), compacting rows leftwards in place
 * (a row never moves right, so reading ahead of the write cursor is safe). Returns the new total.
 * Rows are sorted through packed Float64 keys (target * 2^bits + position in row) with the native
 * numeric sort, which keeps the weight reachable without a comparator call per element.
 */
function sortAndMergeRows(nodeCount: number, offsets: Offsets, targets: Int32Array, weights: Float32Array | undefined): number {
  let scratchKeys = new Float64Array(256);
  let scratchW = new Float32Array(256);
  let write = 0;
  let start = offsets[0];
  for (let u = 0; u < nodeCount; u++) {
    const end = offsets[u + 1];
    const len = end - start;
    offsets[u] = write;
    if (len === 0) {
      start = end;
      continue;
    }
    if (len > scratchKeys.length) {
      scratchKeys = new Float64Array(len * 2);
      scratchW = new Float32Array(len * 2);
    }
    const bits = Math.max(1, Math.ceil(Math.log2(len + 1)));
    const scale = 2 ** bits;
    if (bits + 31 > 53) throw new RangeError(`row ${u} has ${len} neighbours: too many to sort`);
    const keys = scratchKeys.subarray(0, len);
    for (let i = 0; i < len; i++) {
      keys[i] = targets[start + i] * scale + i;
      if (weights) scratchW[i] = weights[start + i];
    }
    keys.sort();
    let last = -1;
    for (let i = 0; i < len; i++) {
      const k = keys[i];
      const t = Math.floor(k / scale);
      const x = weights ? scratchW[k - t * scale] : 0;
      if (t === last) {
        if (weights && x > weights[write - 1]) weights[write - 1] = x;
        continue;
      }
      targets[write] = t;
      if (weights) weights[write] = x;
      write++;
      last = t;
    }
    start = end;
  }
  offsets[nodeCount] = write;
  return write;
}

export interface BuildGraphOptions {
  cannotLinks?: EdgeSource;
  /** Who runs the build's loops (default: compiled when the addon was built). */
  engine?: ClusteringEngine;
}

/** Builds the synonym CSR and the cannot-link CSR. */
export function buildGraph(nodeCount: number, edges: EdgeSource, options: BuildGraphOptions = {}): SynonymGraph {
  const synonyms = buildCsr(nodeCount, edges, true, options.engine) as Csr & { weights: Float32Array };
  const cannotLinks = buildCsr(nodeCount, options.cannotLinks ?? (() => []), false, options.engine);
  return {
    nodeCount,
    edgeCount: synonyms.targets.length / 2,
    synonyms,
    cannotLinks,
    cannotLinkCount: cannotLinks.targets.length / 2,
  };
}

/**
 * The weighted CSR restricted to the edges with at least one endpoint where `keep[x]` is set,
 * over the same node ids (rows stay sorted; cost and size in proportion to the kept rows, not
 * to the whole graph). Its edge order is the full order restricted to those edges. Null when it
 * would hold more than `maxHalfEdges` half-edges (then it is not built).
 */
export function edgesTouching(csr: Csr & { weights: Float32Array }, keep: Uint8Array, maxHalfEdges = Infinity): (Csr & { weights: Float32Array }) | null {
  const { nodeCount, offsets, targets, weights } = csr;
  const deg = new Uint32Array(nodeCount + 1);
  for (let u = 0; u < nodeCount; u++) {
    if (!keep[u]) continue;
    deg[u] += offsets[u + 1] - offsets[u];
    for (let h = offsets[u], end = offsets[u + 1]; h < end; h++) if (!keep[targets[h]]) deg[targets[h]]++;
  }
  let total = 0;
  for (let u = 0; u < nodeCount; u++) total += deg[u];
  if (total > maxHalfEdges) return null;
  const subOffsets: Offsets = total > U32_LIMIT ? new Float64Array(nodeCount + 1) : new Uint32Array(nodeCount + 1);
  let run = 0;
  for (let u = 0; u < nodeCount; u++) {
    const d = deg[u];
    subOffsets[u] = run;
    deg[u] = run; // from here on: the next free slot of row u
    run += d;
  }
  subOffsets[nodeCount] = run;
  const subTargets = new Int32Array(total);
  const subWeights = new Float32Array(total);
  // Kept rows are copied whole; a row that is not kept gets its kept neighbours appended in
  // increasing id order (u ascends), so it is sorted too.
  for (let u = 0; u < nodeCount; u++) {
    if (!keep[u]) continue;
    for (let h = offsets[u], end = offsets[u + 1]; h < end; h++) {
      const v = targets[h];
      const p = deg[u]++;
      subTargets[p] = v;
      subWeights[p] = weights[h];
      if (!keep[v]) {
        const q = deg[v]++;
        subTargets[q] = u;
        subWeights[q] = weights[h];
      }
    }
  }
  return { nodeCount, offsets: subOffsets, targets: subTargets, weights: subWeights };
}

/** Index of v in row u of `csr` (binary search), or -1. */
export function findInRow(csr: Csr, u: number, v: number): number {
  let lo = csr.offsets[u];
  let hi = csr.offsets[u + 1] - 1;
  const t = csr.targets;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2); // offsets may exceed 2^31
    const x = t[mid];
    if (x < v) lo = mid + 1;
    else if (x > v) hi = mid - 1;
    else return mid;
  }
  return -1;
}

export function degree(csr: Csr, u: number): number {
  return csr.offsets[u + 1] - csr.offsets[u];
}

/** Weight of edge u--v, or 0 when absent. */
export function edgeWeight(graph: SynonymGraph, u: number, v: number): number {
  const i = findInRow(graph.synonyms, u, v);
  return i < 0 ? 0 : graph.synonyms.weights[i];
}
