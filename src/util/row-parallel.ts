/**
 * Row-parallel kernels of the builtin embedder's randomized SVD (sparse × dense products, Gram
 * matrices, dense products) on two threads: the calling thread and one helper worker, sharing
 * memory and meeting on an Atomics flag, so callers stay synchronous.
 *
 * Rows are always cut into the same two halves, whether one thread or two compute them, so the
 * result does not depend on the thread count (a Gram matrix is the sum of the two halves' parts
 * in a fixed order). Every output row of a product is computed exactly as the single-threaded
 * loop computes it.
 */
import { Worker } from 'node:worker_threads';
import { workerFile } from './workers.js';
import { addonWith, type Engine } from './native-addon.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface SharedCsr {
  size: number;
  offsets: Uint32Array;
  columns: Int32Array;
  values: Float32Array;
}

/** `native`: run it compiled (native/row-kernels.cc) where the addon was built; the same numbers either way. */
export type KernelTask = { native: boolean } & (
  | { op: 'spmm'; csr: SharedCsr; x: Float64Array; k: number; y: Float64Array; r0: number; r1: number }
  | { op: 'gram'; x: Float64Array; k: number; g: Float64Array; r0: number; r1: number }
  | { op: 'mul'; x: Float64Array; k: number; mat: Float64Array; m: number; y: Float64Array; r0: number; r1: number }
);

interface RowKernelAddon {
  spmmRows(offsets: Uint32Array, columns: Int32Array, values: Float32Array, x: Float64Array, k: number, y: Float64Array, r0: number, r1: number): void;
  gramRows(x: Float64Array, k: number, g: Float64Array, r0: number, r1: number): void;
  mulRows(x: Float64Array, k: number, mat: Float64Array, m: number, y: Float64Array, r0: number, r1: number): void;
}

function rowKernelAddon(): RowKernelAddon | null {
  return addonWith<RowKernelAddon>(['spmmRows', 'gramRows', 'mulRows']);
}

/** Who runs the kernels by default: compiled where the addon was built, else JS. */
export function defaultKernelEngine(): Engine {
  return rowKernelAddon() ? 'native' : 'js';
}

export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(Math.max(1, length) * 8));
}

/** Copies a CSR matrix onto shared memory. */
export function shareCsr(m: { size: number; offsets: Uint32Array; columns: Int32Array; values: Float32Array }): SharedCsr {
  const offsets = new Uint32Array(new SharedArrayBuffer(m.offsets.byteLength));
  offsets.set(m.offsets);
  const columns = new Int32Array(new SharedArrayBuffer(Math.max(4, m.columns.byteLength)));
  columns.set(m.columns);
  const values = new Float32Array(new SharedArrayBuffer(Math.max(4, m.values.byteLength)));
  values.set(m.values);
  return { size: m.size, offsets, columns, values };
}

/** The transpose of a CSR matrix (counting sort by column; each row's entries in source-row order). */
export function transposeCsr(m: SharedCsr): SharedCsr {
  const offsets = new Uint32Array(new SharedArrayBuffer((m.size + 1) * 4));
  for (let e = 0; e < m.columns.length; e++) offsets[m.columns[e] + 1]++;
  for (let c = 0; c < m.size; c++) offsets[c + 1] += offsets[c];
  const fill = offsets.slice(0, m.size);
  const columns = new Int32Array(new SharedArrayBuffer(Math.max(4, m.columns.byteLength)));
  const values = new Float32Array(new SharedArrayBuffer(Math.max(4, m.values.byteLength)));
  for (let w = 0; w < m.size; w++) {
    for (let e = m.offsets[w]; e < m.offsets[w + 1]; e++) {
      const at = fill[m.columns[e]]++;
      columns[at] = w;
      values[at] = m.values[e];
    }
  }
  return { size: m.size, offsets, columns, values };
}

function spmm(csr: SharedCsr, x: Float64Array, k: number, y: Float64Array, r0: number, r1: number): void {
  const { offsets, columns, values } = csr;
  for (let w = r0; w < r1; w++) {
    const yo = w * k;
    for (let e = offsets[w]; e < offsets[w + 1]; e++) {
      const a = values[e];
      if (a === 0) continue;
      const xo = columns[e] * k;
      for (let j = 0; j < k; j++) y[yo + j] += a * x[xo + j];
    }
  }
}

/** Runs one task on its row range: compiled (row-kernels.cc) when the task says so and the addon was built, else in JS. */
export function runKernel(t: KernelTask): void {
  const addon = t.native ? rowKernelAddon() : null;
  if (addon) {
    if (t.op === 'spmm') addon.spmmRows(t.csr.offsets, t.csr.columns, t.csr.values, t.x, t.k, t.y, t.r0, t.r1);
    else if (t.op === 'gram') addon.gramRows(t.x, t.k, t.g, t.r0, t.r1);
    else addon.mulRows(t.x, t.k, t.mat, t.m, t.y, t.r0, t.r1);
    return;
  }
  if (t.op === 'spmm') spmm(t.csr, t.x, t.k, t.y, t.r0, t.r1);
  else if (t.op === 'gram') {
    const { x, k, g } = t;
    for (let r = t.r0; r < t.r1; r++) {
      const o = r * k;
      for (let i = 0; i < k; i++) {
        const xi = x[o + i];
        if (xi === 0) continue;
        const gi = i * k;
        for (let j = i; j < k; j++) g[gi + j] += xi * x[o + j];
      }
    }
  } else {
    const { x, k, mat, m, y } = t;
    for (let r = t.r0; r < t.r1; r++) {
      const xo = r * k;
      const yo = r * m;
      for (let i = 0; i < k; i++) {
        const xi = x[xo + i];
        if (xi === 0) continue;
        const mo = i * m;
        for (let j = 0; j < m; j++) y[yo + j] += xi * mat[mo + j];
      }
    }
  }
}

export class RowParallel {
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private worker: Worker | null;

  private readonly native: boolean;

  /** `threads` 2 starts the helper worker; 1 computes both halves on the calling thread. */
  constructor(threads: number, engine: Engine = defaultKernelEngine()) {
    this.native = engine === 'native';
    this.worker = threads >= 2 ? new Worker(workerFile('row-parallel'), { workerData: { flag: this.flag } }) : null;
    this.worker?.unref();
  }

  /** Runs `make(r0, r1)` on the lower half in the helper and the upper half here, then waits. */
  private split(rows: number, make: (r0: number, r1: number) => DistributiveOmit<KernelTask, 'native'>): void {
    const mid = rows >>> 1;
    const lower = { ...make(0, mid), native: this.native } as KernelTask;
    const upper = { ...make(mid, rows), native: this.native } as KernelTask;
    if (!this.worker) {
      runKernel(lower);
      runKernel(upper);
      return;
    }
    Atomics.store(this.flag, 0, 0);
    this.worker.postMessage(lower);
    runKernel(upper);
    Atomics.wait(this.flag, 0, 0);
  }

  /** Y = A·X for CSR A (size×size) and row-major X (size×k). */
  sparseProduct(a: SharedCsr, x: Float64Array, k: number): Float64Array {
    const y = sharedFloat64(a.size * k);
    this.split(a.size, (r0, r1) => ({ op: 'spmm', csr: a, x, k, y, r0, r1 }));
    return y;
  }

  /** XᵀX of a row-major rows×k matrix: the two halves' parts summed in a fixed order. */
  gram(x: Float64Array, rows: number, k: number): Float64Array {
    const parts = [sharedFloat64(k * k), sharedFloat64(k * k)];
    let half = 0; // split() asks for the lower half first, then the upper
    this.split(rows, (r0, r1) => ({ op: 'gram', x, k, g: parts[half++], r0, r1 }));
    const g = new Float64Array(k * k);
    for (let i = 0; i < k; i++) {
      for (let j = i; j < k; j++) {
        const v = parts[0][i * k + j] + parts[1][i * k + j];
        g[i * k + j] = v;
        g[j * k + i] = v;
      }
    }
    return g;
  }

  /** Y = X·M for row-major X (rows×k) and M (k×m). */
  multiply(x: Float64Array, rows: number, k: number, mat: Float64Array, m: number): Float64Array {
    const y = sharedFloat64(rows * m);
    const shared = sharedFloat64(mat.length);
    shared.set(mat);
    this.split(rows, (r0, r1) => ({ op: 'mul', x, k, mat: shared, m, y, r0, r1 }));
    return y;
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = null;
  }
}
