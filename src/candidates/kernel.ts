/**
 * The candidates kernel's client: inner products by the compiled kernel when it was built
 * (src/candidates/native-kernel.ts), else by ONNX Runtime's GEMM in the process's single inference
 * thread (workers/knn-kernel.ts). Vectors are shared once; rows travel as ids.
 */
import { inferencePool } from '../util/inference.js';
import { nativeKernel } from './native-kernel.js';
import { workerFile } from '../util/workers.js';

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
    return this.pool.run({ vectors: this.vectors, d: this.d, threads: this.threads, queries: compact(queries), queryVectors: queryVectors && compact(queryVectors), candidates: compact(candidates), k }, { filename: this.filename, name: 'top' });
  }

  /**
   * Each query's `k` best of its group's `m` candidate centroids (ids, best first): group g's
   * queries are queries[queryOffsets[g] .. queryOffsets[g + 1]), its candidates candidates[g * m ..).
   */
  among(queries: Int32Array, queryOffsets: Int32Array, centroids: Float32Array, candidates: Int32Array, m: number, k: number): Promise<Int32Array> {
    return this.pool.run({ vectors: this.vectors, d: this.d, threads: this.threads, queries: compact(queries), queryOffsets: compact(queryOffsets), centroids, candidates: compact(candidates), m, k }, { filename: this.filename, name: 'among' });
  }

  /** Scores strictly above the query's threshold, or above the lower of it and the row's when rows have theirs. */
  block(queries: Int32Array, rows: Int32Array, thresholds: Float32Array, rowThresholds?: Float32Array): Promise<{ query: Int32Array; row: Int32Array; scores: Float32Array }> {
    if (this.native) return this.native.block(this.vectors, this.d, queries, rows, thresholds, rowThresholds, this.threads);
    return this.pool.run({ vectors: this.vectors, d: this.d, threads: this.threads, queries: compact(queries), rows: compact(rows), thresholds: compact(thresholds), rowThresholds: rowThresholds && compact(rowThresholds) }, { filename: this.filename, name: 'block' });
  }
}
