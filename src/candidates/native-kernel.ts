/**
 * The compiled part of the candidate search (native/, built by `npm ci` through node-gyp into
 * build/Release): the blocks' inner products with their thresholds fused and each row's nearest
 * centroids (block.cc; the scan 3x ONNX Runtime's GEMM + Greater + NonZero + GatherND graph), the
 * scan's offers to the top-k lists (top-lists.cc), and the sort of the spilled raw pairs
 * (sort-pairs.cc). Where it was not built (no compiler when the package was installed), ONNX
 * Runtime and the JS loops do the same, with the same pairs (test/candidates-ivf.test.ts), slower.
 */
import { nativeAddon } from '../util/native-addon.js';
import type { CandidatePairs } from './knn.js';

export interface BlockHits {
  query: Int32Array;
  row: Int32Array;
  scores: Float32Array;
}

/** A range's sort running on its own thread (sortPairsStart). */
export type SortJob = { readonly __sortJob: unique symbol };

interface Addon {
  block(vectors: Float32Array, d: number, queries: Int32Array, rows: Int32Array, thresholds: Float32Array, rowThresholds: Float32Array | undefined, threads: number, widest?: 0 | 1 | 2): Promise<BlockHits>;
  /**
   * Each query's `k` best rows of `candidates` (n x d) by inner product, best first, ties to the
   * lower index (ONNX TopK's order): the queries are rows of `vectors`, or of `queryVectors`.
   */
  top(vectors: Float32Array, d: number, queries: Int32Array, queryVectors: Float32Array | undefined, candidates: Float32Array, k: number, threads: number, widest?: 0 | 1 | 2): Promise<{ indices: Int32Array; scores: Float32Array }>;
  /**
   * Each query's `k` best of the candidates in its `perQuery` groups (`queryGroups`, queries x
   * perQuery, distinct ids a query; group g's candidates are groupMembers[groupOffsets[g] ..
   * groupOffsets[g + 1])), best first, ties to the lower index; where its groups hold fewer than k,
   * the tail is -1 (score -Infinity).
   */
  groupedTop(vectors: Float32Array, d: number, queries: Int32Array, candidates: Float32Array, groupOffsets: Int32Array, groupMembers: Int32Array, queryGroups: Int32Array, perQuery: number, k: number, threads: number, widest?: 0 | 1 | 2): Promise<{ indices: Int32Array; scores: Float32Array }>;
  /** The widest tile this CPU runs: 2 AVX-512, 1 AVX2, 0 portable (the same results; `widest` caps it). */
  simd(): 0 | 1 | 2;
  /**
   * A range's raw pairs, as the spilled file's records (a, b, score bits), sorted into the stored
   * order (raw-pairs.ts's `dedupePairs`) on a thread of its own: `sortPairsTake` waits for the job
   * and returns the pairs (once).
   */
  sortPairsStart(words: Uint32Array, rows: number, base: number): SortJob;
  sortPairsTake(job: SortJob): CandidatePairs;
  /**
   * The scan's per-result loop (ivf.ts's block callback): a block's hits offered to the pass's
   * top-k lists (TopLists' arrays), the query's and, with both sides, the row's. Returns the hits
   * whose row is outside the pass and does not scan the query's cell (only when `across`).
   */
  offerHits(listScores: Float32Array, listRows: Int32Array, listLengths: Int32Array, k: number, lo: number, hi: number, floor: number, queries: Int32Array, rows: Int32Array, hitQuery: Int32Array, hitRow: Int32Array, hitScore: Float32Array, bothSides: boolean, probeList: Int32Array, probes: number, across: boolean): Int32Array;
}

/** The addon, or null when it was not built. */
export function nativeKernel(): Addon | null {
  return nativeAddon() as Addon | null;
}
