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
  /** Half-edge index (into targets/weights) of the k-th edge. */
  half: Uint32Array | Float64Array;
  /** Smaller endpoint of the k-th edge (the larger is targets[half[k]]). */
  src: Int32Array;
  length: number;
}

const DIGIT = 1 << 16;

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
  // tmp is free now; its buffer is reused for the sources when it has the right size.
  const src = wide ? new Int32Array(m) : new Int32Array(tmp.buffer, 0, m);
  for (let k = 0; k < m; k++) src[k] = rowOf(offsets, nodeCount, half[k]);
  return { half, src, length: m };
}

function prefix(hist: Float64Array): void {
  let run = 0;
  for (let i = 0; i < hist.length; i++) {
    const c = hist[i];
    hist[i] = run;
    run += c;
  }
}

/** The row u with offsets[u] <= h < offsets[u + 1] (binary search). */
export function rowOf(offsets: Offsets, nodeCount: number, h: number): number {
  let lo = 0;
  let hi = nodeCount - 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi + 1) / 2);
    if (offsets[mid] <= h) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
