/**
 * The paper's edge order: confidence descending, ties by (smaller id, larger id) ascending.
 *
 * Each undirected edge is its half-edge h with source u < target v. Rows are scanned in (u, v)
 * order, then a stable two-digit LSD radix sort on the inverted Float32 bits (positive floats
 * order like their bit patterns) yields exactly the paper's order, without comparators.
 *
 * The order is produced in chunks of consecutive key ranges, so that it never needs memory in
 * proportion to the edges: the whole order of 15M nodes / 520M edges is 4.2 GB (src + dst) on
 * top of the 8.3 GB CSR, which is what pushed the 15M run past 14.7 GB. A chunk is rebuilt by
 * one scan of the CSR per pass over the order, collecting the edges whose key falls in the
 * chunk's range (in (u, v) order) and radix-sorting them; see `edgeOrder` for the sizes.
 */
import type { Csr, Offsets } from './graph.js';

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
/** Half-edges per bucket of the row index used to find the source of a half-edge. */
const BUCKET_BITS = 6;
/**
 * Default edges per chunk: 32M edges is 256 MB of buffers. Each chunk costs one scan of the CSR,
 * so at 520M edges a pass over the order is 17 scans.
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
 * Plans chunks of at most `maxChunkEdges` edges over key ranges [lo, hi) (hi exclusive, as
 * numbers up to 2^32). A high digit with more edges than that is split by its low digit; only a
 * single key (one exact weight) with more edges than the limit makes a larger chunk.
 */
function planChunks(csr: Csr & { weights: Float32Array }, bits: Uint32Array, maxChunkEdges: number): { bounds: number[]; largest: number; total: number } {
  const { nodeCount, offsets, targets } = csr;
  const hiHist = new Float64Array(DIGIT);
  let total = 0;
  for (let u = 0; u < nodeCount; u++) {
    for (let h = offsets[u], end = offsets[u + 1]; h < end; h++) {
      if (targets[h] <= u) continue;
      hiHist[(~bits[h] >>> 0) >>> 16]++;
      total++;
    }
  }
  if (total * 2 !== targets.length) throw new Error('asymmetric CSR');
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

/**
 * The order of `csr`'s edges in chunks of about `maxChunkEdges` (default ORDER_CHUNK_EDGES).
 * Memory: two buffers of the largest chunk (8 bytes an edge; 16 beyond 2^32 half-edges) plus a
 * row index of 1/16 byte per half-edge, whatever the edge count.
 */
export function edgeOrder(csr: Csr & { weights: Float32Array }, maxChunkEdges = ORDER_CHUNK_EDGES): ChunkedEdgeOrder {
  const bits = checkedBits(csr.weights);
  const { bounds, largest, total } = planChunks(csr, bits, Math.max(1, maxChunkEdges));
  const wide = csr.targets.length > 2 ** 32 - 1;
  const make = (len: number): Uint32Array | Float64Array => (wide ? new Float64Array(len) : new Uint32Array(len));
  // Buffers are made on the first pass and reused by the next ones.
  let buffers: { first: Uint32Array | Float64Array; second: Uint32Array | Float64Array; src: Int32Array; dst: Int32Array; index: Int32Array } | null = null;
  // A single chunk is kept once sorted: then every pass after the first is free (1M nodes /
  // 32M edges: 4-5 s less per refinement round).
  let only: EdgeOrder | null = null;
  function* chunks(): Generator<EdgeOrder> {
    if (only) {
      yield only;
      return;
    }
    if (!buffers) {
      const first = make(largest);
      const second = make(largest);
      buffers = {
        first,
        second,
        src: wide ? new Int32Array(largest) : new Int32Array(second.buffer, 0, largest),
        dst: wide ? new Int32Array(largest) : new Int32Array(first.buffer, 0, largest),
        index: rowIndex(csr.offsets, csr.nodeCount),
      };
    }
    const { first, second, src, dst, index } = buffers;
    for (let c = 0; c + 1 < bounds.length; c++) {
      const length = sortRange(csr, bits, bounds[c], bounds[c + 1], first, second);
      if (length === 0) continue;
      for (let k = 0; k < length; k++) {
        const h = first[k];
        src[k] = rowIn(csr.offsets, index, h);
        dst[k] = csr.targets[h]; // same slot as first[k] (when not wide), already read
      }
      const chunk = { src: src.subarray(0, length), dst: dst.subarray(0, length), length };
      if (bounds.length === 2) {
        only = chunk;
        buffers = null;
      }
      yield chunk;
    }
  }
  return { length: total, chunkCount: bounds.length - 1, chunks };
}

/**
 * The half-edges (u < v) whose key is in [lo, hi), in the paper's order, into `out` (`tmp` is
 * scratch). Returns how many.
 */
function sortRange(csr: Csr, bits: Uint32Array, lo: number, hi: number, out: Uint32Array | Float64Array, tmp: Uint32Array | Float64Array): number {
  const { nodeCount, offsets, targets } = csr;
  const loHist = new Float64Array(DIGIT);
  const hiHist = new Float64Array(DIGIT);
  // Collect in (u, v) order, counting both digits.
  let n = 0;
  for (let u = 0; u < nodeCount; u++) {
    for (let h = offsets[u], end = offsets[u + 1]; h < end; h++) {
      const key = ~bits[h] >>> 0;
      if (key < lo || key >= hi || targets[h] <= u) continue;
      out[n++] = h;
      loHist[key & 0xffff]++;
      hiHist[key >>> 16]++;
    }
  }
  prefix(loHist);
  prefix(hiHist);
  for (let k = 0; k < n; k++) {
    const h = out[k];
    tmp[loHist[(~bits[h] >>> 0) & 0xffff]++] = h;
  }
  for (let k = 0; k < n; k++) {
    const h = tmp[k];
    out[hiHist[(~bits[h] >>> 0) >>> 16]++] = h;
  }
  return n;
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

/**
 * index[b] = the row holding half-edge b * 2^BUCKET_BITS (the last row for buckets past the
 * end), so that the row of a half-edge is a search between two adjacent entries, usually one
 * or two rows, instead of a binary search over all rows.
 */
function rowIndex(offsets: Offsets, nodeCount: number): Int32Array {
  const total = offsets[nodeCount];
  const buckets = Math.floor(total / 2 ** BUCKET_BITS) + 2;
  const index = new Int32Array(buckets).fill(Math.max(0, nodeCount - 1));
  let b = 0;
  for (let u = 0; u < nodeCount; u++) {
    const end = offsets[u + 1];
    while (b < buckets && b * 2 ** BUCKET_BITS < end) index[b++] = u;
  }
  return index;
}

/** The row u with offsets[u] <= h < offsets[u + 1]. */
function rowIn(offsets: Offsets, index: Int32Array, h: number): number {
  const b = Math.floor(h / 2 ** BUCKET_BITS);
  let lo = index[b];
  let hi = index[b + 1];
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (offsets[mid] <= h) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
