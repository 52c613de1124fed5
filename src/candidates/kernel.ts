/**
 * The candidates kernel's client: inner products by the compiled kernel when it was built
 * (src/candidates/native-kernel.ts), else by ONNX Runtime's GEMM in the process's single inference
 * thread (workers/knn-kernel.ts). Vectors are shared once; rows travel as ids. A task's vectors
 * of 4 GiB or more travel packed (src/util/large-views.ts).
 */
import { inferencePool } from '../util/inference.js';
import { nativeKernel, type OfferedHits, type ScanOffer } from './native-kernel.js';
import { workerFile } from '../util/workers.js';
import { TopLists } from './top-lists.js';
import { groupBy } from '../util/group-by.js';
import { packViews } from '../util/large-views.js';

type Pool = ReturnType<typeof inferencePool>;

/**
 * `a` itself when it spans its whole buffer, else a copy: posting a view clones its whole buffer,
 * and the scan posted views of the 3.7 MB cell index, once a block (at 928k rows: 15 s of the
 * main thread's 200, and 8 s receiving them in the kernel thread).
 */
function compact<T extends Int32Array | Float32Array>(a: T): T {
  return a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : (a.slice() as T);
}

/** A copy on shared memory, unless it already is (posted to the kernel thread without a copy). */
export function shared(vectors: Float32Array): Float32Array {
  if (vectors.buffer instanceof SharedArrayBuffer) return vectors;
  const out = new Float32Array(new SharedArrayBuffer(vectors.byteLength));
  out.set(vectors);
  return out;
}

/** Scores per kernel block (4 bytes each in the kernel's GEMM output). */
export const BLOCK_CELLS = 8 << 20;

export class Kernel {
  private readonly pool: Pool = inferencePool();
  private readonly filename = workerFile('knn-kernel');
  private readonly native: ReturnType<typeof nativeKernel>;
  constructor(
    /** Row-major rows x d, on a SharedArrayBuffer. */
    readonly vectors: Float32Array,
    readonly d: number,
    readonly threads: number,
    /** The compiled kernel when it was built (default), or always ONNX Runtime. */
    kind: 'native' | 'onnx' = 'native',
  ) {
    this.native = kind === 'native' ? nativeKernel() : null;
  }

  /** What scores the blocks and the top-k (`among` is always ONNX Runtime's). */
  get kind(): 'native' | 'onnx' {
    return this.native ? 'native' : 'onnx';
  }

  /** Each query's `k` best candidates: the query rows of `vectors`, or `queryVectors` when given. */
  top(queries: Int32Array, candidates: Float32Array, k: number, queryVectors?: Float32Array): Promise<{ indices: Int32Array; scores: Float32Array }> {
    if (this.native) return this.native.top(this.vectors, this.d, queries, queryVectors, candidates, k, this.threads);
    return this.pool.run(packViews({ vectors: this.vectors, d: this.d, threads: this.threads, queries: compact(queries), queryVectors: queryVectors && compact(queryVectors), candidates: compact(candidates), k }), { filename: this.filename, name: 'top' });
  }

  /**
   * Each query's `k` best of the candidates in its `perQuery` groups (native-kernel.ts's
   * `groupedTop`). Without the addon, each group's queries get their best of that group from `top`
   * and the lists merge in TopLists' order (the same ties): the same result.
   */
  async groupedTop(queries: Int32Array, candidates: Float32Array, groupOffsets: Int32Array, groupMembers: Int32Array, queryGroups: Int32Array, perQuery: number, k: number): Promise<{ indices: Int32Array; scores: Float32Array }> {
    if (this.native) return this.native.groupedTop(this.vectors, this.d, queries, candidates, groupOffsets, groupMembers, queryGroups, perQuery, k, this.threads);
    const { d } = this;
    const groups = groupOffsets.length - 1;
    const lists = new TopLists(queries.length, k);
    const byGroup = groupBy(queryGroups, 1, 0, queryGroups.length, groups);
    for (let g = 0; g < groups; g++) {
      // Ascending, so that top's ties (to the lower position) go to the lower id.
      const members = groupMembers.slice(groupOffsets[g], groupOffsets[g + 1]).sort();
      const positions = byGroup.items.subarray(byGroup.offsets[g], byGroup.offsets[g + 1]);
      if (members.length === 0 || positions.length === 0) continue;
      const gathered = new Float32Array(members.length * d);
      members.forEach((c, i) => gathered.set(candidates.subarray(c * d, c * d + d), i * d));
      const at = Int32Array.from(positions, (e) => Math.floor(e / perQuery));
      const kk = Math.min(k, members.length);
      const { indices, scores } = await this.top(Int32Array.from(at, (q) => queries[q]), gathered, kk);
      for (let i = 0; i < at.length; i++) for (let j = 0; j < kk; j++) lists.offer(at[i], members[indices[i * kk + j]], scores[i * kk + j]);
    }
    const indices = new Int32Array(queries.length * k);
    const scores = new Float32Array(queries.length * k);
    for (let q = 0; q < queries.length; q++) lists.sorted(q, indices.subarray(q * k, q * k + k), scores.subarray(q * k, q * k + k));
    return { indices, scores };
  }

  /**
   * Each query's `k` best of its group's `m` candidate centroids (ids, best first): group g's
   * queries are queries[queryOffsets[g] .. queryOffsets[g + 1]), its candidates candidates[g * m ..).
   */
  among(queries: Int32Array, queryOffsets: Int32Array, centroids: Float32Array, candidates: Int32Array, m: number, k: number): Promise<Int32Array> {
    return this.pool.run(packViews({ vectors: this.vectors, d: this.d, threads: this.threads, queries: compact(queries), queryOffsets: compact(queryOffsets), centroids, candidates: compact(candidates), m, k }), { filename: this.filename, name: 'among' });
  }

  /** Scores strictly above the query's threshold, or above the lower of it and the row's when rows have theirs. */
  block(queries: Int32Array, rows: Int32Array, thresholds: Float32Array, rowThresholds?: Float32Array): Promise<{ query: Int32Array; row: Int32Array; scores: Float32Array }> {
    if (this.native) return this.native.block(this.vectors, this.d, queries, rows, thresholds, rowThresholds, this.threads);
    return this.pool.run(packViews({ vectors: this.vectors, d: this.d, threads: this.threads, queries: compact(queries), rows: compact(rows), thresholds: compact(thresholds), rowThresholds: rowThresholds && compact(rowThresholds) }), { filename: this.filename, name: 'block' });
  }

  /**
   * `block`, its hits offered to a scan pass's lists on the kernel's thread (compiled kernel only):
   * resolves with the hits those lists leave to the caller.
   */
  offeredBlock(queries: Int32Array, rows: Int32Array, thresholds: Float32Array, rowThresholds: Float32Array | undefined, offer: ScanOffer): Promise<OfferedHits> {
    if (!this.native) throw new Error('offeredBlock needs the compiled kernel');
    return this.native.block(this.vectors, this.d, queries, rows, thresholds, rowThresholds, this.threads, undefined, offer);
  }

  /** Offers waiting for a scan pass's rows (`count` records of `words`) to its lists, on a kernel thread (compiled kernel only). */
  async offerRecords(words: Uint32Array, count: number, offer: ScanOffer): Promise<void> {
    if (!this.native) throw new Error('offerRecords needs the compiled kernel');
    await this.native.offerRecords(words, count, offer);
  }
}
