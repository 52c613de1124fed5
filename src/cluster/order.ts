/**
 * The paper's edge order: confidence descending, ties by (smaller id, larger id) ascending.
 *
 * Each undirected edge is its half-edge with source u < target v. Rows are scanned in (u, v)
 * order, then a stable LSD radix sort on the inverted Float32 bits (positive floats order like
 * their bit patterns) yields exactly the paper's order, without comparators.
 *
 * The order is produced in chunks of consecutive key ranges, so that it never needs memory in
 * proportion to the edges: the whole order of 15M nodes / 520M edges is 4.2 GB (src + dst) on
 * top of the 8.3 GB CSR, which is what pushed the 15M run past 14.7 GB. A chunk is rebuilt on
 * every pass over the order, collecting the edges whose key falls in the chunk's range (in
 * (u, v) order) and radix-sorting them; see `edgeOrder` for the sizes.
 */
import { defaultClusteringEngine, requireClusteringAddon, type ClusteringAddon, type ClusteringEngine } from './compiled.js';
import type { Csr, Offsets } from './graph.js';
import { adviseHugePages } from '../util/native-addon.js';

/** A run of edges in the paper's order. */
export interface EdgeOrder {
  /** Smaller endpoint of the k-th edge. */
  src: Int32Array;
  /**
   * Larger endpoint of the k-th edge. Stored rather than looked up through the half-edge: the
   * passes over the order then read two sequential arrays instead of one random CSR slot.
   */
  dst: Int32Array;
  length: number;
}

/**
 * The whole order as consecutive chunks; `chunks()` may be called again for another pass (each
 * call rebuilds the chunks into the same buffers, so a chunk is valid until the next one).
 */
export interface ChunkedEdgeOrder {
  /** Edges in all chunks. */
  length: number;
  /** Chunks per pass: 1 means the order is sorted once and kept (every pass after the first is free). */
  chunkCount: number;
  chunks(): Iterable<EdgeOrder>;
}

const DIGIT = 1 << 16;
/**
 * Radix digits of the chunk sort: 11, 11 and 10 bits (two of 16 bits measured the same on the 1M
 * planted graph: 2.5 s for a one-chunk pass either way).
 */
const SORT_DIGITS = [0, 11, 22] as const;
const SORT_BUCKETS = 1 << 11;
/**
 * Default edges per chunk: 32M edges is 768 MB of buffers (key, source and target, twice). Each
 * chunk costs one scan of the edges' chunk ids (a byte each), so at 520M edges a pass over the
 * order is 17 scans of 0.5 GB.
 */
export const ORDER_CHUNK_EDGES = 1 << 25;

/** The sort key of half-edge h: ~bits of its weight, so larger weights come first. */
function checkedBits(weights: Float32Array): Uint32Array {
  for (let h = 0; h < weights.length; h++) {
    if (!(weights[h] >= 0)) throw new RangeError(`edge weight ${weights[h]} is not a non-negative number`);
  }
  return new Uint32Array(weights.buffer, weights.byteOffset, weights.length);
}

/**
 * Plans chunks of at most `limit(total edges)` edges over key ranges [lo, hi) (hi exclusive, as
 * numbers up to 2^32). A high digit with more edges than that is split by its low digit; only a
 * single key (one exact weight) with more edges than the limit makes a larger chunk.
 */
function planChunks(csr: Csr & { weights: Float32Array }, bits: Uint32Array, limit: (total: number) => number, addon: ClusteringAddon | null): { bounds: number[]; largest: number; total: number } {
  const { nodeCount, offsets, targets } = csr;
  const hiHist = new Float64Array(DIGIT);
  let total = 0;
  // Compiled: 15M planted graph, 19 s of JS.
  if (addon) total = addon.orderHistogram(offsets, targets, new Int32Array(bits.buffer, bits.byteOffset, bits.length), hiHist);
  else
    for (let u = 0; u < nodeCount; u++) {
      for (let h = offsets[u], end = offsets[u + 1]; h < end; h++) {
        if (targets[h] <= u) continue;
        hiHist[(~bits[h] >>> 0) >>> 16]++;
        total++;
      }
    }
  if (total * 2 !== targets.length) throw new Error('asymmetric CSR');
  const maxChunkEdges = limit(total);
  // Low-digit histograms of the oversized high digits (usually none: one pass more otherwise).
  const big = new Map<number, Float64Array>();
  for (let d = 0; d < DIGIT; d++) if (hiHist[d] > maxChunkEdges) big.set(d, new Float64Array(DIGIT));
  if (big.size > 0) {
    for (let u = 0; u < nodeCount; u++) {
      for (let h = offsets[u], end = offsets[u + 1]; h < end; h++) {
        if (targets[h] <= u) continue;
        const key = ~bits[h] >>> 0;
        const lo = big.get(key >>> 16);
        if (lo) lo[key & 0xffff]++;
      }
    }
  }
  // Greedy: extend the current chunk while it stays within the limit, in key order.
  const bounds = [0];
  let inChunk = 0;
  let largest = 0;
  const step = (key: number, count: number): void => {
    if (inChunk > 0 && inChunk + count > maxChunkEdges) {
      bounds.push(key);
      largest = Math.max(largest, inChunk);
      inChunk = 0;
    }
    inChunk += count;
  };
  for (let d = 0; d < DIGIT; d++) {
    const lo = big.get(d);
    if (lo) for (let e = 0; e < DIGIT; e++) step(d * DIGIT + e, lo[e]);
    else step(d * DIGIT, hiHist[d]);
  }
  bounds.push(2 ** 32);
  largest = Math.max(largest, inChunk);
  return { bounds, largest, total };
}

/** Ping-pong buffers of the chunk sort: sort key, source and target of each edge. */
interface SortBuffers {
  key: [Int32Array, Int32Array];
  src: [Int32Array, Int32Array];
  dst: [Int32Array, Int32Array];
}

function sortBuffers(length: number): SortBuffers {
  const make = (): [Int32Array, Int32Array] => {
    const pair: [Int32Array, Int32Array] = [new Int32Array(length), new Int32Array(length)];
    for (const array of pair) adviseHugePages(array);
    return pair;
  };
  return { key: make(), src: make(), dst: make() };
}

/** Each edge's chunk, found once for a whole order in several chunks. */
interface ChunkIds {
  /** The chunk of the e-th edge u < v in (u, v) order. */
  id: Uint8Array | Uint16Array | Uint32Array;
  /** The first half-edge of row u with a target above u (rows are sorted): u's edges u < v start there. */
  above: Offsets;
}

/**
 * The order of `csr`'s edges in chunks of about `maxChunkEdges` (default ORDER_CHUNK_EDGES; half
 * that when the addon sorts them, two at a time). Memory: 24 bytes an edge of the budget; with
 * more than one chunk, a byte per edge (its chunk) and an offset per node more, whatever the edge count.
 */
export function edgeOrder(csr: Csr & { weights: Float32Array }, maxChunkEdges = ORDER_CHUNK_EDGES, engine: ClusteringEngine = defaultClusteringEngine()): ChunkedEdgeOrder {
  const addon = engine === 'native' ? requireClusteringAddon('edge order') : null;
  const bits = checkedBits(csr.weights);
  const budget = Math.max(1, maxChunkEdges);
  // An order in several chunks sorts the next chunk on a second thread while this one is read,
  // in two sets of buffers; each chunk is then half the budget, so the memory stays the same.
  const { bounds, largest, total } = planChunks(csr, bits, (edges) => (addon && edges > budget ? Math.max(1, Math.floor(budget / 2)) : budget), addon);
  // Buffers are made on the first pass and reused by the next ones.
  let buffers: SortBuffers | null = null;
  let spare: SortBuffers | null = null;
  // A single chunk is kept once sorted: then every pass after the first is free (1M nodes /
  // 32M edges: 4-5 s less per refinement round).
  let only: EdgeOrder | null = null;
  // Several chunks: each edge's chunk, found once, so that collecting a chunk reads a byte per
  // edge instead of testing its key (1M planted graph in 21 chunks: a pass 12.0 -> 5.0 s).
  let ids: ChunkIds | null = null;
  const chunkOf = (buf: SortBuffers, { length, side }: { length: number; side: 0 | 1 }): EdgeOrder => ({ src: buf.src[side].subarray(0, length), dst: buf.dst[side].subarray(0, length), length });
  function* chunks(): Generator<EdgeOrder> {
    if (only) {
      yield only;
      return;
    }
    const buf = (buffers ??= sortBuffers(largest));
    if (bounds.length > 2) ids ??= chunkIds(csr, bits, bounds, addon);
    if (addon && ids) {
      yield* overlapped(addon, ids, [buf, (spare ??= sortBuffers(largest))]);
      return;
    }
    for (let c = 0; c + 1 < bounds.length; c++) {
      const sorted = addon ? sortChunkCompiled(addon, csr, bits, ids, c, buf) : sortChunk(csr, bits, ids, c, buf);
      if (sorted.length === 0) continue;
      const chunk = chunkOf(buf, sorted);
      if (bounds.length === 2) {
        only = chunk;
        buffers = null;
      }
      yield chunk;
    }
  }
  /**
   * The compiled pass: chunk c + 1 is sorted on the addon's thread into the other set while the
   * caller reads chunk c. Set c % 2 is rewritten only once the caller has asked for the chunk
   * after c - 1. 15M planted graph: 17 chunks' sorts took 71 s of the JS thread; 33 half-size
   * chunks take 156 s of CPU on the other core (each scans every edge's chunk id; perf).
   */
  function* overlapped(compiled: ClusteringAddon, chunkIdsOf: ChunkIds, sets: [SortBuffers, SortBuffers]): Generator<EdgeOrder> {
    const count = bounds.length - 1;
    let pending: object | null = beginChunk(compiled, csr, bits, chunkIdsOf, 0, sets[0]);
    try {
      for (let c = 0; c < count; c++) {
        const sorted = endChunk(compiled, pending!);
        pending = c + 1 < count ? beginChunk(compiled, csr, bits, chunkIdsOf, c + 1, sets[(c + 1) % 2]) : null;
        if (sorted.length > 0) yield chunkOf(sets[c % 2], sorted);
      }
    } finally {
      // A caller that stops early (or throws) still waits for the thread that writes the buffers.
      if (pending) {
        try {
          compiled.orderChunkEnd(pending);
        } catch {
          // Its error is not the one being thrown.
        }
      }
    }
  }
  return { length: total, chunkCount: bounds.length - 1, chunks };
}

/** Each edge's chunk: the last bound at or below its key. */
function chunkIds(csr: Csr, bits: Uint32Array, bounds: number[], addon: ClusteringAddon | null): ChunkIds {
  const { nodeCount, offsets, targets } = csr;
  const chunkCount = bounds.length - 1;
  const edges = targets.length / 2;
  const id = chunkCount <= 0x100 ? new Uint8Array(edges) : chunkCount <= 0x10000 ? new Uint16Array(edges) : new Uint32Array(edges);
  const above = offsets instanceof Float64Array ? new Float64Array(nodeCount) : new Uint32Array(nodeCount);
  if (addon) {
    addon.orderChunkIds(offsets, targets, new Int32Array(bits.buffer, bits.byteOffset, bits.length), Float64Array.from(bounds), id, above);
    return { id, above };
  }
  let e = 0;
  for (let u = 0; u < nodeCount; u++) {
    const end = offsets[u + 1];
    let h = offsets[u];
    while (h < end && targets[h] <= u) h++;
    above[u] = h;
    for (; h < end; h++) {
      const k = ~bits[h] >>> 0;
      let lo = 0;
      let hi = chunkCount - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (bounds[mid] <= k) lo = mid;
        else hi = mid - 1;
      }
      id[e++] = lo;
    }
  }
  return { id, above };
}

/**
 * Chunk c's edges (every edge u < v when `ids` is null) in the paper's order, into one side of
 * `buf`. They are collected in (u, v) order with their keys and endpoints, by sequential reads of
 * the CSR, then stably sorted by key carrying the endpoints: no random read of the CSR after, which
 * the sort of half-edge indices needed (1M planted graph, one chunk: 13.0 -> 2.3 s). Returns how
 * many edges and which side holds them.
 */
function sortChunk(csr: Csr, bits: Uint32Array, ids: ChunkIds | null, c: number, buf: SortBuffers): { length: number; side: 0 | 1 } {
  const hist = SORT_DIGITS.map(() => new Float64Array(SORT_BUCKETS));
  const raw = new Int32Array(bits.buffer, bits.byteOffset, bits.length);
  // Two loops rather than a test of `ids` per half-edge: a pass in 21 chunks took 6.6 s with it.
  const n = ids === null ? collectAll(csr, raw, buf, hist) : collectChunk(csr, raw, ids, c, buf, hist);
  return radixSort(n, hist, buf);
}

/** sortChunk in native/order.cc: the same order (a stable sort by the same keys); 1M planted graph, one chunk: 4.4 s in JS. */
function sortChunkCompiled(addon: ClusteringAddon, csr: Csr, bits: Uint32Array, ids: ChunkIds | null, c: number, buf: SortBuffers): { length: number; side: 0 | 1 } {
  return sorted(addon.orderChunk(...orderChunkArguments(csr, bits, ids, c, buf)));
}

/** sortChunkCompiled started on the addon's thread; endChunk waits for it. */
function beginChunk(addon: ClusteringAddon, csr: Csr, bits: Uint32Array, ids: ChunkIds, c: number, buf: SortBuffers): object {
  return addon.orderChunkBegin(...orderChunkArguments(csr, bits, ids, c, buf));
}

function endChunk(addon: ClusteringAddon, handle: object): { length: number; side: 0 | 1 } {
  return sorted(addon.orderChunkEnd(handle));
}

function orderChunkArguments(csr: Csr, bits: Uint32Array, ids: ChunkIds | null, c: number, buf: SortBuffers): unknown[] {
  const raw = new Int32Array(bits.buffer, bits.byteOffset, bits.length);
  return [csr.offsets, csr.targets, raw, ids?.id ?? null, ids?.above ?? null, c, buf.key[0], buf.key[1], buf.src[0], buf.src[1], buf.dst[0], buf.dst[1]];
}

/** orderChunk's answer, 2 * length + side. */
function sorted(r: number): { length: number; side: 0 | 1 } {
  return { length: Math.floor(r / 2), side: (r % 2) as 0 | 1 };
}

/** Every edge u < v into side 0 of `buf` with its key (`~raw`), counting the key digits. */
function collectAll(csr: Csr, raw: Int32Array, buf: SortBuffers, [h0, h1, h2]: Float64Array[]): number {
  const { nodeCount, offsets, targets } = csr;
  const [key, src, dst] = [buf.key[0], buf.src[0], buf.dst[0]];
  let n = 0;
  for (let u = 0; u < nodeCount; u++) {
    for (let h = offsets[u], end = offsets[u + 1]; h < end; h++) {
      const v = targets[h];
      if (v <= u) continue;
      const k = ~raw[h]; // the unsigned key's bits; digits are read with >>>
      key[n] = k;
      src[n] = u;
      dst[n] = v;
      n++;
      h0[k & 0x7ff]++;
      h1[(k >>> 11) & 0x7ff]++;
      h2[k >>> 22]++;
    }
  }
  return n;
}

/** collectAll for the edges of chunk c only. */
function collectChunk(csr: Csr, raw: Int32Array, { id, above }: ChunkIds, c: number, buf: SortBuffers, [h0, h1, h2]: Float64Array[]): number {
  const { nodeCount, offsets, targets } = csr;
  const [key, src, dst] = [buf.key[0], buf.src[0], buf.dst[0]];
  let n = 0;
  let e = 0;
  for (let u = 0; u < nodeCount; u++) {
    for (let h = above[u], end = offsets[u + 1]; h < end; h++, e++) {
      if (id[e] !== c) continue;
      const k = ~raw[h];
      key[n] = k;
      src[n] = u;
      dst[n] = targets[h];
      n++;
      h0[k & 0x7ff]++;
      h1[(k >>> 11) & 0x7ff]++;
      h2[k >>> 22]++;
    }
  }
  return n;
}

/**
 * Stable LSD radix sort of side 0's first n entries by key (digit histograms given), one
 * scatter per digit between the sides; a digit all n share is skipped, as a chunk spans a narrow
 * key range. Returns which side holds the result.
 */
function radixSort(n: number, hist: Float64Array[], buf: SortBuffers): { length: number; side: 0 | 1 } {
  let side: 0 | 1 = 0;
  for (let d = 0; d < SORT_DIGITS.length; d++) {
    const count = hist[d];
    const shift = SORT_DIGITS[d];
    const mask = d === SORT_DIGITS.length - 1 ? -1 : 0x7ff;
    const key = buf.key[side];
    const src = buf.src[side];
    const dst = buf.dst[side];
    if (n === 0 || count[(key[0] >>> shift) & mask] === n) continue;
    prefix(count);
    const other: 0 | 1 = side === 0 ? 1 : 0;
    const key2 = buf.key[other];
    const src2 = buf.src[other];
    const dst2 = buf.dst[other];
    for (let i = 0; i < n; i++) {
      const k = key[i];
      const at = count[(k >>> shift) & mask]++;
      key2[at] = k;
      src2[at] = src[i];
      dst2[at] = dst[i];
    }
    side = other;
  }
  return { length: n, side };
}

/** The whole order in one piece (tests and small graphs: 8 bytes an edge). */
export function sortEdgesByConfidence(csr: Csr & { weights: Float32Array }): EdgeOrder {
  const chunked = edgeOrder(csr, Number.MAX_SAFE_INTEGER);
  for (const chunk of chunked.chunks()) return chunk;
  return { src: new Int32Array(0), dst: new Int32Array(0), length: 0 };
}

/** One in-memory order as a ChunkedEdgeOrder. */
export function singleChunk(order: EdgeOrder): ChunkedEdgeOrder {
  return { length: order.length, chunkCount: 1, chunks: () => (order.length > 0 ? [order] : []) };
}

function prefix(hist: Float64Array): void {
  let run = 0;
  for (let i = 0; i < hist.length; i++) {
    const c = hist[i];
    hist[i] = run;
    run += c;
  }
}
