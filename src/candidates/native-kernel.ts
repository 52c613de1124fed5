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

/**
 * An offering block's result: the hits left to the caller, and how many the kernel found (with both
 * sides, a row's threshold lets a score out only where the row does not scan the query's cell, so
 * fewer than `block` returns for the same thresholds).
 */
export interface OfferedHits extends BlockHits {
  found: number;
}

/** A range's sort running on its own thread (sortPairsStart). */
export type SortJob = { readonly __sortJob: unique symbol };

/**
 * A scan pass's top-k lists (TopLists' arrays, rows lo .. hi - 1) and the rules ivf.ts's block
 * callback applies: a block given them offers its hits there, off the JS thread.
 */
export interface ScanOffer {
  scores: Float32Array;
  rows: Int32Array;
  lengths: Int32Array;
  k: number;
  lo: number;
  hi: number;
  /** The least score a list takes. */
  floor: number;
  /** A row of the pass takes the score too, unless it scans the query's cell itself. */
  bothSides: boolean;
  /** Hits whose row lies outside the pass (and does not scan the query's cell) come back. */
  across: boolean;
  /** rows x probes: each row's cells. */
  probeList: Int32Array;
  probes: number;
}

interface Addon {
  /**
   * The (query, row) scores strictly above the lower of the query's and the row's threshold. With
   * `offer`, they go to its lists on the kernel's thread (native/top-lists.cc; blocks offer at once,
   * a list under its stripe's lock), a row's threshold counting only where the row does not scan
   * the query's cell, and only those the lists leave to the caller come back.
   */
  block(vectors: Float32Array, d: number, queries: Int32Array, rows: Int32Array, thresholds: Float32Array, rowThresholds: Float32Array | undefined, threads: number, widest?: 0 | 1 | 2): Promise<BlockHits>;
  block(vectors: Float32Array, d: number, queries: Int32Array, rows: Int32Array, thresholds: Float32Array, rowThresholds: Float32Array | undefined, threads: number, widest: 0 | 1 | 2 | undefined, offer: ScanOffer): Promise<OfferedHits>;
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
  /**
   * The first `count` records of `words` (row, other row, score bits: offers waiting for the pass,
   * offers.ts) offered to `offer`'s lists off the JS thread, under the lists' locks, so beside the
   * pass's blocks; resolves with no hits.
   */
  offerRecords(words: Uint32Array, count: number, offer: ScanOffer): Promise<OfferedHits>;
  /** The widest tile this CPU runs: 2 AVX-512, 1 AVX2, 0 portable (the same results; `widest` caps it). */
  simd(): 0 | 1 | 2;
  /**
   * A range's raw pairs, as the spilled file's records (a, b, score bits), sorted into the stored
   * order (raw-pairs.ts's `dedupePairs`) on a thread of its own: `sortPairsTake` waits for the job
   * and returns the pairs (once).
   */
  sortPairsStart(words: Uint32Array, rows: number, base: number): SortJob;
  sortPairsTake(job: SortJob): CandidatePairs;
}

/** The addon, or null when it was not built. */
export function nativeKernel(): Addon | null {
  return nativeAddon() as Addon | null;
}

/**
 * The vector width the candidates' kernel scores with here, for benchmarks' reports: the same code
 * took 396 s for the 1M-line bench:e2e list on a 2-core EPYC with AVX2 only, where one with
 * AVX-512 had taken 224-284 s.
 */
export function kernelSimd(): 'avx512' | 'avx2' | 'portable' | 'no addon' {
  const kernel = nativeKernel();
  return kernel === null ? 'no addon' : (['portable', 'avx2', 'avx512'] as const)[kernel.simd()];
}
