/**
 * The paper's edge order: confidence descending, ties by (smaller id, larger id) ascending.
 *
 * Each undirected edge is its half-edge h with source u < target v. Rows are scanned in (u, v)
 * order, then a stable two-digit LSD radix sort on the inverted Float32 bits (positive floats
 * order like their bit patterns) yields exactly the paper's order, without comparators and
 * with one temporary index array.
 */
import type { Csr, Offsets } from './graph.js';

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

const DIGIT = 1 << 16;
/** Half-edges per bucket of the row index used to find the source of a half-edge. */
const BUCKET_BITS = 6;

export function sortEdgesByConfidence(csr: Csr & { weights: Float32Array }): EdgeOrder {
  const { nodeCount, offsets, targets, weights } = csr;
  for (let h = 0; h < weights.length; h++) {
    if (!(weights[h] >= 0)) throw new RangeError(`edge weight ${weights[h]} is not a non-negative number`);
  }
  const bits = new Uint32Array(weights.buffer, weights.byteOffset, weights.length);
  const m = targets.length / 2;
  const wide = targets.length > 2 ** 32 - 1;
  const make = (len: number): Uint32Array | Float64Array => (wide ? new Float64Array(len) : new Uint32Array(len));
  const lo = new Float64Array(DIGIT);
  const hi = new Float64Array(DIGIT);
  // Counting pass over the edges in (u, v) order; key = ~bits so larger weights come first.
  let count = 0;
  for (let u = 0; u < nodeCount; u++) {
    for (let h = offsets[u], end = offsets[u + 1]; h < end; h++) {
      if (targets[h] <= u) continue;
      const key = ~bits[h] >>> 0;
      lo[key & 0xffff]++;
      hi[key >>> 16]++;
      count++;
    }
  }
  if (count !== m) throw new Error('asymmetric CSR');
  prefix(lo);
  prefix(hi);
  const tmp = make(m);
  for (let u = 0; u < nodeCount; u++) {
    for (let h = offsets[u], end = offsets[u + 1]; h < end; h++) {
      if (targets[h] <= u) continue;
      const key = ~bits[h] >>> 0;
      tmp[lo[key & 0xffff]++] = h;
    }
  }
  const half = make(m);
  for (let k = 0; k < m; k++) {
    const h = tmp[k];
    const key = ~bits[h] >>> 0;
    half[hi[key >>> 16]++] = h;
  }
  // tmp and half are free once read: their buffers take the endpoints when the sizes match.
  const src = wide ? new Int32Array(m) : new Int32Array(tmp.buffer, 0, m);
  const dst = wide ? new Int32Array(m) : new Int32Array(half.buffer, 0, m);
  const index = rowIndex(offsets, nodeCount);
  for (let k = 0; k < m; k++) {
    const h = half[k];
    src[k] = rowIn(offsets, index, h);
    dst[k] = targets[h]; // same slot as half[k], already read
  }
  return { src, dst, length: m };
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
