/**
 * Piscina task file of the candidates kernel (src/candidates/kernel.ts): inner products of blocks
 * of rows by ONNX Runtime's GEMM (the graphs of src/candidates/onnx-graph.ts).
 *
 * Runs in the process's single inference thread (src/util/inference.ts: onnxruntime-node 1.14 may
 * be loaded by one thread per process only), loading ONNX Runtime through transformers.js's own
 * dependency so that it is the same module instance. Vectors arrive once per task as a view of a
 * SharedArrayBuffer (no copy); the task gathers the rows it needs (a copy per row here took 2.8 s
 * of 16 s at 200k rows; an element loop on the main thread took 7.7 s and slowed ONNX Runtime's
 * two threads, which share the machine's two cores with it). Sessions are created from a
 * file path, because onnxruntime-node 1.14 ignores the options given with a buffer (see
 * workers/onnx-thread.ts), and cached per graph, dimensions and thread count.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isWorkerThread, move, transferableSymbol, valueSymbol } from 'piscina';
import { kernelGraph, type KernelGraph } from '../src/candidates/onnx-graph.js';
import { unpackViews } from '../src/util/large-views.js';

interface OrtTensor {
  data: Float32Array | BigInt64Array;
  dims: readonly number[];
}
interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
}
interface Ort {
  Tensor: new (type: string, data: Float32Array | BigInt64Array, dims: number[]) => OrtTensor;
  InferenceSession: { create(path: string, options: object): Promise<OrtSession> };
}

const ort = createRequire(createRequire(import.meta.url).resolve('@xenova/transformers'))('onnxruntime-node') as Ort;
const sessions = new Map<string, Promise<OrtSession>>();

function session(kind: KernelGraph, d: number, threads: number): Promise<OrtSession> {
  const key = `${kind}:${d}:${threads}`;
  let s = sessions.get(key);
  if (!s) {
    s = (async () => {
      const dir = mkdtempSync(join(tmpdir(), 'synograph-kernel-'));
      try {
        const file = join(dir, `${kind}.onnx`);
        writeFileSync(file, kernelGraph(kind, d));
        return await ort.InferenceSession.create(file, { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    })();
    sessions.set(key, s);
  }
  return s;
}

export interface KernelTask {
  /** Row-major vectors (n x d) on a SharedArrayBuffer. */
  vectors: Float32Array;
  d: number;
  threads: number;
  /** Query rows: these rows of `vectors`, or `queryVectors` itself when given. */
  queries: Int32Array;
  queryVectors?: Float32Array;
}

export interface TopTask extends KernelTask {
  /** Candidate rows (d columns each), e.g. centroids. */
  candidates: Float32Array;
  k: number;
}

export interface AmongTask extends KernelTask {
  /** Centroids (cells x d) on a SharedArrayBuffer. */
  centroids: Float32Array;
  /** Group g's queries are queries[queryOffsets[g] .. queryOffsets[g + 1]). */
  queryOffsets: Int32Array;
  /** Group g's candidate centroids are candidates[g * m .. g * m + m). */
  candidates: Int32Array;
  m: number;
  k: number;
}

export interface BlockTask extends KernelTask {
  /** Rows of `vectors` to score every query against. */
  rows: Int32Array;
  /** One threshold per query (and optionally one per row): scores strictly above it (the lower of the two) are returned. */
  thresholds: Float32Array;
  rowThresholds?: Float32Array;
}

function gather(vectors: Float32Array, d: number, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * d);
  for (let i = 0; i < rows.length; i++) out.set(vectors.subarray(rows[i] * d, rows[i] * d + d), i * d);
  return out;
}

/** Low 32-bit words of non-negative int64 values below 2^31, into `out` (a new array by default). */
function low(values: BigInt64Array, out = new Int32Array(values.length)): Int32Array {
  const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  for (let i = 0; i < values.length; i++) out[i] = words[2 * i];
  return out;
}

/** Each query's `k` best candidates by inner product: indices and scores, row-major (queries x k). */
export async function top(task: TopTask): Promise<{ indices: Int32Array; scores: Float32Array }> {
  task = unpackViews(task);
  const { d } = task;
  const q = task.queryVectors ?? gather(task.vectors, d, task.queries);
  const m = q.length / d;
  const c = task.candidates.length / d;
  const s = await session('top', d, task.threads);
  const out = await s.run({
    q: new ort.Tensor('float32', q, [m, d]),
    x: new ort.Tensor('float32', task.candidates, [c, d]),
    k: new ort.Tensor('int64', BigInt64Array.from([BigInt(task.k)]), [1]),
  });
  // Plain typed arrays: piscina moves only a top-level transferable, and these copies are small.
  return { indices: low(out.indices.data as BigInt64Array), scores: Float32Array.from(out.values.data as Float32Array) };
}

/**
 * Each query's `k` best centroids among its group's `m` candidates: centroid ids, row-major
 * (queries x k), best first. One small GEMM a group (a cell's rows against the cells near it),
 * many groups a task: a task each would cost a message each (0.25-0.8 ms).
 */
export async function among(task: AmongTask): Promise<Int32Array> {
  task = unpackViews(task);
  const { d, m, k, queryOffsets, candidates } = task;
  const s = await session('top', d, task.threads);
  const kTensor = new ort.Tensor('int64', BigInt64Array.from([BigInt(k)]), [1]);
  const out = new Int32Array(task.queries.length * k);
  let largest = 0;
  for (let g = 0; g + 1 < queryOffsets.length; g++) largest = Math.max(largest, queryOffsets[g + 1] - queryOffsets[g]);
  const local = new Int32Array(largest * k);
  for (let g = 0; g + 1 < queryOffsets.length; g++) {
    const from = queryOffsets[g];
    const count = queryOffsets[g + 1] - from;
    if (count === 0) continue;
    const q = gather(task.vectors, d, task.queries.subarray(from, from + count));
    const ids = candidates.subarray(g * m, g * m + m);
    const x = gather(task.centroids, d, ids);
    const res = await s.run({ q: new ort.Tensor('float32', q, [count, d]), x: new ort.Tensor('float32', x, [m, d]), k: kTensor });
    const found = low(res.indices.data as BigInt64Array, local.subarray(0, count * k));
    for (let i = 0; i < found.length; i++) out[from * k + i] = ids[found[i]];
  }
  return isWorkerThread ? (move(out) as unknown as Int32Array) : out;
}

/**
 * Every (query, row) inner product above its query's threshold (or its row's, when rows have one):
 * query and row positions and scores, views of one buffer that is moved, not cloned, to the caller
 * (at 928k rows the clones of 386M results took 22 s of this thread).
 */
export async function block(task: BlockTask): Promise<{ query: Int32Array; row: Int32Array; scores: Float32Array }> {
  task = unpackViews(task);
  const { d } = task;
  const q = task.queryVectors ?? gather(task.vectors, d, task.queries);
  const x = gather(task.vectors, d, task.rows);
  const feeds: Record<string, OrtTensor> = {
    q: new ort.Tensor('float32', q, [q.length / d, d]),
    x: new ort.Tensor('float32', x, [task.rows.length, d]),
    threshold: new ort.Tensor('float32', task.thresholds, [task.thresholds.length, 1]),
  };
  if (task.rowThresholds) feeds.rowThreshold = new ort.Tensor('float32', task.rowThresholds, [1, task.rowThresholds.length]);
  const s = await session(task.rowThresholds ? 'blockBoth' : 'block', d, task.threads);
  const out = await s.run(feeds);
  const pairs = out.pairs.data as BigInt64Array;
  const k = pairs.length / 2;
  const buffer = new ArrayBuffer(k * 12);
  const result = { query: new Int32Array(buffer, 0, k), row: new Int32Array(buffer, k * 4, k), scores: new Float32Array(buffer, k * 8, k) };
  low(pairs.subarray(0, k), result.query);
  low(pairs.subarray(k), result.row);
  result.scores.set(out.scores.data as Float32Array);
  if (!isWorkerThread) return result;
  return move({ [transferableSymbol]: [buffer], [valueSymbol]: result }) as unknown as typeof result;
}
