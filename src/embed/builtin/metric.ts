/**
 * Closed-form synonym metric learned from known synonym pairs (train-split knowledge only in a
 * held-out build): directions in which synonyms differ little but words in general differ a lot
 * are stretched, the others shrunk. It solves C_all e = λ C_syn e (an LDA-style generalised
 * eigenproblem) and maps v -> normalise(Wᵀ v) with W = C_syn^{-1/2} F Γ^{β}.
 * This is the deterministic, CPU-cheap counterpart of the paper's contrastive fine-tuning.
 */
import { symmetricEigen } from '../../util/linalg.js';

export interface SynonymMetric {
  dimensions: number;
  /** Row-major dims×dims matrix W; a vector maps to Wᵀ v. */
  transform: Float64Array;
}

function covariance(diffs: Float64Array, rows: number, dims: number): Float64Array {
  const c = new Float64Array(dims * dims);
  for (let r = 0; r < rows; r++) {
    const o = r * dims;
    for (let i = 0; i < dims; i++) {
      const x = diffs[o + i];
      for (let j = i; j < dims; j++) c[i * dims + j] += x * diffs[o + j];
    }
  }
  for (let i = 0; i < dims; i++) for (let j = 0; j < i; j++) c[i * dims + j] = c[j * dims + i];
  for (let i = 0; i < c.length; i++) c[i] /= Math.max(rows, 1);
  return c;
}

/**
 * `synonyms` are pairs of row indices into `vectors` (unit rows); `others` random pairs standing
 * for "words in general". `regularization` is added to C_syn as a share of its mean eigenvalue.
 */
export function learnSynonymMetric(
  vectors: Float32Array,
  dims: number,
  synonyms: readonly (readonly [number, number])[],
  others: readonly (readonly [number, number])[],
  options: { regularization?: number; power?: number } = {},
): SynonymMetric {
  const diffsOf = (pairs: readonly (readonly [number, number])[]): Float64Array => {
    const d = new Float64Array(pairs.length * dims);
    pairs.forEach(([a, b], r) => {
      for (let k = 0; k < dims; k++) d[r * dims + k] = vectors[a * dims + k] - vectors[b * dims + k];
    });
    return d;
  };
  const cs = covariance(diffsOf(synonyms), synonyms.length, dims);
  const cg = covariance(diffsOf(others), others.length, dims);
  let trace = 0;
  for (let i = 0; i < dims; i++) trace += cs[i * dims + i];
  const eps = (options.regularization ?? 0.1) * (trace / dims);
  for (let i = 0; i < dims; i++) cs[i * dims + i] += eps;
  const { values: ls, vectors: es } = symmetricEigen(cs, dims);
  // S = E Λ^{-1/2} whitens synonym differences.
  const s = new Float64Array(dims * dims);
  for (let i = 0; i < dims; i++) for (let j = 0; j < dims; j++) s[i * dims + j] = es[i * dims + j] / Math.sqrt(ls[j]);
  // M = Sᵀ C_g S, then its eigenbasis F with ratios Γ.
  const cgS = new Float64Array(dims * dims);
  for (let i = 0; i < dims; i++) for (let k = 0; k < dims; k++) {
    const x = cg[i * dims + k];
    if (x === 0) continue;
    for (let j = 0; j < dims; j++) cgS[i * dims + j] += x * s[k * dims + j];
  }
  const m = new Float64Array(dims * dims);
  for (let i = 0; i < dims; i++) for (let k = 0; k < dims; k++) {
    const x = s[k * dims + i];
    if (x === 0) continue;
    for (let j = 0; j < dims; j++) m[i * dims + j] += x * cgS[k * dims + j];
  }
  for (let i = 0; i < dims; i++) for (let j = i + 1; j < dims; j++) m[i * dims + j] = m[j * dims + i] = (m[i * dims + j] + m[j * dims + i]) / 2;
  const { values: gamma, vectors: f } = symmetricEigen(m, dims);
  const power = options.power ?? 0.5;
  const w = new Float64Array(dims * dims);
  for (let i = 0; i < dims; i++) for (let k = 0; k < dims; k++) {
    const x = s[i * dims + k];
    if (x === 0) continue;
    for (let j = 0; j < dims; j++) w[i * dims + j] += x * f[k * dims + j];
  }
  for (let j = 0; j < dims; j++) {
    const g = Math.pow(Math.max(gamma[j], 0), power);
    for (let i = 0; i < dims; i++) w[i * dims + j] *= g;
  }
  return { dimensions: dims, transform: w };
}

/** Applies the metric to unit rows in place (rows stay unit length). */
export function applyMetric(metric: SynonymMetric, vectors: Float32Array): void {
  const dims = metric.dimensions;
  const w = metric.transform;
  const tmp = new Float64Array(dims);
  for (let off = 0; off < vectors.length; off += dims) {
    tmp.fill(0);
    for (let i = 0; i < dims; i++) {
      const x = vectors[off + i];
      if (x === 0) continue;
      for (let j = 0; j < dims; j++) tmp[j] += x * w[i * dims + j];
    }
    let n = 0;
    for (let j = 0; j < dims; j++) n += tmp[j] * tmp[j];
    const inv = n > 0 ? 1 / Math.sqrt(n) : 0;
    for (let j = 0; j < dims; j++) vectors[off + j] = tmp[j] * inv;
  }
}
