/**
 * Candidate pairs by approximate nearest neighbours (usearch HNSW).
 *
 * Every row of a row-major matrix of L2-normalised vectors queries its `topK + 1` nearest rows
 * (itself included, then dropped); neighbours with cosine >= `minCosine` become candidate pairs,
 * stored once per unordered pair (`a < b` by local row id) in typed arrays sorted by (a, b).
 *
 * Defaults (connectivity 16, expansion_add 96, expansion_search 160) were chosen by measurement on
 * clustered synthetic embeddings, 128 dims, top-100 (scripts/bench-knn.ts and sweeps like it):
 *  - 100k rows, single-threaded builds: expansion_add 64 / 96 / 128 gave ANN recall 0.994 / 0.997 /
 *    0.997-0.999 for builds of ~14-17 s / ~18-23 s / ~30-32 s; connectivity 12 fell to 0.985 and
 *    connectivity 8 (expansion 64) to 0.94.
 *  - 1M rows, connectivity 16 / expansion_add 96: recall falls with size, and the search beam is
 *    what buys it back: beam 101 / 160 / 250 / 400 gave recall 0.971 / 0.987 / 0.988 / 0.992
 *    (0.983 / 0.995 / 0.995 / 0.996 over neighbours with cosine >= 0.7) at 3834 / 2917 / 2175 /
 *    1189 queries/s on 2 cores. 160 is the knee; expect recall to keep sliding towards 15M rows,
 *    so measure `annRecall` there (it is reported on every run) before lowering it.
 * Search uses `max(expansionSearch, topK + 1)` as its beam.
 *
 * Determinism: usearch gives every insertion thread its own level generator and lets threads
 * race to link nodes, so a multi-threaded `add` builds a different graph (and slightly different
 * pairs) on every run. A single-threaded `add` is reproducible bit for bit, and search is
 * read-only, so it is safe to parallelise. But usearch sizes its per-thread search contexts from
 * the `threads` of the `add` that last grew the index, and refuses wider searches ("Reserve
 * capacity ahead of searches!"). The deterministic path (the default) therefore adds on one
 * thread, saves the index to a temporary file and loads it back (which re-reserves one context
 * per hardware thread), then searches on every thread. `deterministic: false` adds on every
 * thread: faster to build, not reproducible. Measured (128 dims, top-100): two 2-thread builds of
 * 100k rows disagreed in 4234 of 202k neighbour slots of 2000 queries, while single-threaded builds
 * gave identical pairs; the single-threaded build took 24.8 s against 9-10 s at 100k, but 612 s
 * against 531-628 s at 1M (memory-latency bound, shared 2-core machine).
 *
 * Threads: usearch's `threads` argument 0 means std::thread::hardware_concurrency(), which
 * ignores CPU quotas, so an explicit count (default: os.availableParallelism()) is always passed.
 *
 * Two usearch pitfalls handled here: `exactSearch` reads its inputs from the start of their
 * ArrayBuffer, ignoring `byteOffset` (so views are copied first), and it materialises a
 * dataset x queries distance matrix (16 bytes a cell), so exact queries run in bounded batches.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BatchMatches, exactSearch, Index, MetricKind, ScalarKind } from 'usearch';
import { mulberry32 } from '../util/random.js';
import { defaultThreads } from '../util/workers.js';

export type Quantization = 'f32' | 'f16' | 'i8';

export interface CandidateOptions {
  /** Neighbours kept per query, self excluded. Default 100. */
  topK?: number;
  /** Pairs below this cosine are dropped. Default 0.70. */
  minCosine?: number;
  /** Threads for usearch add/search/exact search. Default: one per available core. */
  threads?: number;
  /** HNSW graph degree (M). Default 16. */
  connectivity?: number;
  /** Beam width while inserting (efConstruction). Default 96. */
  expansionAdd?: number;
  /** Beam width while searching (ef); the effective beam is max(this, topK + 1). Default 160. */
  expansionSearch?: number;
  /** Scalar type of the vectors stored in the index. Default 'f32'. f16/i8 pairs are rescored exactly. */
  quantization?: Quantization;
  /** Queries whose HNSW top-k is compared with exact search. Default 1000; 0 skips the measurement. */
  annSample?: number;
  /** Seed of the recall sample. Default 1. */
  seed?: number;
  /** Single-threaded (reproducible) graph construction. Default true. */
  deterministic?: boolean;
  /** Search only rows 0..queryRows-1 (every row is still indexed); for benchmarks and smoke runs. Default: all rows. */
  queryRows?: number;
  /** Queries per usearch search call (bounds the result buffers). Default 16384. */
  batchSize?: number;
  /** Directory of the temporary index file of the deterministic path. Default os.tmpdir(). */
  scratchDir?: string;
  /** Called after each search batch with rows searched so far. */
  onProgress?: (searched: number, total: number) => void;
}

/** Candidate pairs, one per unordered pair, a < b by local row id, sorted by (a, b). */
export interface CandidatePairs {
  a: Uint32Array;
  b: Uint32Array;
  cosine: Float32Array;
}

export interface CandidateResult {
  pairs: CandidatePairs;
  /** |ANN top-k ∩ exact top-k| / |exact top-k| over the sample (self excluded); NaN when not measured. */
  annRecall: number;
  /** The same, restricted to exact neighbours with cosine >= minCosine (the pairs that matter). */
  annRecallAboveMin: number;
  sampleSize: number;
  seconds: {
    build: number;
    /** Save + load of the deterministic path (0 otherwise). */
    reload: number;
    search: number;
    /** Exact search of the recall sample (the brute-force baseline). */
    exact: number;
    /** Symmetrising, sorting and de-duplicating pairs (plus exact rescoring when quantized). */
    pairs: number;
  };
  stats: {
    rows: number;
    dimensions: number;
    /** Pairs found from either side before de-duplication. */
    rawPairs: number;
    pairs: number;
    /** Rows that queried the index (all rows unless `queryRows` was given). */
    queriedRows: number;
    addThreads: number;
    searchThreads: number;
  };
  params: Required<Pick<CandidateOptions, 'topK' | 'minCosine' | 'connectivity' | 'expansionAdd' | 'expansionSearch' | 'quantization' | 'annSample' | 'seed' | 'deterministic'>>;
}

export const DEFAULT_KNN = Object.freeze({
  topK: 100,
  minCosine: 0.7,
  connectivity: 16,
  expansionAdd: 96,
  expansionSearch: 160,
  quantization: 'f32' as Quantization,
  annSample: 1000,
  seed: 1,
  deterministic: true,
  batchSize: 16384,
});

/** Quantized distances are approximate: keep pairs this far below minCosine, then rescore exactly. */
const QUANTIZED_MARGIN = 0.02;
/** Bytes of the distance matrix usearch's exactSearch may allocate per call. */
const EXACT_BATCH_BYTES = 64 * 1024 * 1024;

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer (got ${value})`);
  return value;
}

/** Throws unless every row has unit L2 norm (cosine = inner product is assumed throughout). */
function checkNormalised(vectors: Float32Array, n: number, d: number): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    const o = i * d;
    for (let j = 0; j < d; j++) s += vectors[o + j] * vectors[o + j];
    if (!(Math.abs(s - 1) <= 2e-3)) throw new RangeError(`row ${i} is not L2-normalised (squared norm ${s})`);
  }
}

function dot(v: Float32Array, d: number, i: number, j: number): number {
  let s = 0;
  const oi = i * d;
  const oj = j * d;
  for (let x = 0; x < d; x++) s += v[oi + x] * v[oj + x];
  return s;
}

/** Growable parallel typed arrays of (a, b, cosine). */
class PairBuffer {
  a = new Uint32Array(1 << 16);
  b = new Uint32Array(1 << 16);
  c = new Float32Array(1 << 16);
  length = 0;

  push(a: number, b: number, c: number): void {
    if (this.length === this.a.length) this.grow();
    this.a[this.length] = a;
    this.b[this.length] = b;
    this.c[this.length] = c;
    this.length++;
  }

  private grow(): void {
    const cap = this.a.length * 2;
    const a = new Uint32Array(cap);
    a.set(this.a);
    const b = new Uint32Array(cap);
    b.set(this.b);
    const c = new Float32Array(cap);
    c.set(this.c);
    this.a = a;
    this.b = b;
    this.c = c;
  }
}

/** One stable counting-sort pass of the (a, b, c) triples by `key` (ids < count.length - 1). */
function countingSortPass(
  key: Uint32Array, a: Uint32Array, b: Uint32Array, c: Float32Array,
  outA: Uint32Array, outB: Uint32Array, outC: Float32Array, length: number, count: Uint32Array,
): void {
  count.fill(0);
  for (let i = 0; i < length; i++) count[key[i] + 1]++;
  for (let i = 1; i < count.length; i++) count[i] += count[i - 1];
  for (let i = 0; i < length; i++) {
    const p = count[key[i]]++;
    outA[p] = a[i];
    outB[p] = b[i];
    outC[p] = c[i];
  }
}

/**
 * Sorts pairs by (a, b) with two stable counting-sort passes (O(E + n), ids < n), then merges
 * duplicates keeping the highest cosine. Returns right-sized copies. Inputs are clobbered.
 */
export function sortAndDedupePairs(a: Uint32Array, b: Uint32Array, c: Float32Array, length: number, n: number): CandidatePairs {
  const count = new Uint32Array(n + 1);
  const ta = new Uint32Array(length);
  const tb = new Uint32Array(length);
  const tc = new Float32Array(length);
  // LSD order: by b into the temporaries, then (stable) by a back into the inputs.
  countingSortPass(b, a, b, c, ta, tb, tc, length, count);
  countingSortPass(ta, ta, tb, tc, a, b, c, length, count);
  let w = 0;
  for (let i = 0; i < length; i++) {
    if (w > 0 && a[w - 1] === a[i] && b[w - 1] === b[i]) {
      if (c[i] > c[w - 1]) c[w - 1] = c[i];
      continue;
    }
    a[w] = a[i];
    b[w] = b[i];
    c[w] = c[i];
    w++;
  }
  return { a: a.slice(0, w), b: b.slice(0, w), cosine: c.slice(0, w) };
}

/** `size` distinct rows of 0..n-1 (Floyd's algorithm), ascending. */
function sampleRows(n: number, size: number, seed: number): Uint32Array {
  if (size >= n) return Uint32Array.from({ length: n }, (_, i) => i);
  const rnd = mulberry32(seed);
  const chosen = new Set<number>();
  for (let j = n - size; j < n; j++) {
    const t = Math.floor(rnd() * (j + 1));
    chosen.add(chosen.has(t) ? j : t);
  }
  return Uint32Array.from(chosen).sort();
}

/** Low 32 bits of each key of a usearch result (keys here are row ids < 2^32). */
function lowWords(keys: BigUint64Array): Uint32Array {
  return new Uint32Array(keys.buffer, keys.byteOffset, keys.length * 2);
}

interface ExactTop {
  keys: Uint32Array; // sample x topK
  cos: Float32Array;
  counts: Uint32Array;
}

/** Exact top-`topK` (self excluded) of the sampled rows, by usearch's brute-force exactSearch. */
function exactTopK(vectors: Float32Array, n: number, d: number, rows: Uint32Array, topK: number, threads: number): ExactTop {
  const s = rows.length;
  const wanted = Math.min(topK + 1, n);
  const out: ExactTop = { keys: new Uint32Array(s * topK), cos: new Float32Array(s * topK), counts: new Uint32Array(s) };
  // exactSearch ignores byteOffset: hand it arrays that start their buffers.
  const dataset = vectors.byteOffset === 0 && vectors.length === n * d ? vectors : vectors.slice(0, n * d);
  const batch = Math.max(1, Math.min(s, Math.floor(EXACT_BATCH_BYTES / (16 * n))));
  for (let start = 0; start < s; start += batch) {
    const end = Math.min(s, start + batch);
    const queries = new Float32Array((end - start) * d);
    for (let q = start; q < end; q++) queries.set(vectors.subarray(rows[q] * d, rows[q] * d + d), (q - start) * d);
    // One query returns Matches (no counts); pad to two so the result shape is always batched.
    const padded = end - start === 1 ? Float32Array.from([...queries, ...queries]) : queries;
    const r = exactSearch(dataset, padded, d, wanted, MetricKind.IP, threads) as BatchMatches;
    const keys = lowWords(r.keys);
    for (let q = start; q < end; q++) {
      const base = (q - start) * wanted;
      let m = 0;
      for (let j = 0; j < wanted && m < topK; j++) {
        const key = keys[2 * (base + j)];
        if (key === rows[q]) continue;
        out.keys[q * topK + m] = key;
        out.cos[q * topK + m] = 1 - r.distances[base + j];
        m++;
      }
      out.counts[q] = m;
    }
  }
  return out;
}

/**
 * Finds candidate pairs among `vectors` (n x `dimensions`, row-major, L2-normalised rows; the row
 * index is the local id) and measures ANN recall on a seeded sample against exact search.
 */
export function findCandidates(vectors: Float32Array, dimensions: number, options: CandidateOptions = {}): CandidateResult {
  const d = positiveInt('dimensions', dimensions);
  if (vectors.length % d !== 0) throw new RangeError(`vectors length ${vectors.length} is not a multiple of ${d} dimensions`);
  const n = vectors.length / d;
  if (n >= 2 ** 32 - 1) throw new RangeError('too many rows for 32-bit ids');
  const params = {
    topK: positiveInt('topK', options.topK ?? DEFAULT_KNN.topK),
    minCosine: options.minCosine ?? DEFAULT_KNN.minCosine,
    connectivity: positiveInt('connectivity', options.connectivity ?? DEFAULT_KNN.connectivity),
    expansionAdd: positiveInt('expansionAdd', options.expansionAdd ?? DEFAULT_KNN.expansionAdd),
    expansionSearch: positiveInt('expansionSearch', options.expansionSearch ?? DEFAULT_KNN.expansionSearch),
    quantization: options.quantization ?? DEFAULT_KNN.quantization,
    annSample: options.annSample ?? DEFAULT_KNN.annSample,
    seed: options.seed ?? DEFAULT_KNN.seed,
    deterministic: options.deterministic ?? DEFAULT_KNN.deterministic,
  };
  if (!['f32', 'f16', 'i8'].includes(params.quantization)) throw new RangeError(`unknown quantization ${params.quantization}`);
  if (!Number.isInteger(params.annSample) || params.annSample < 0) throw new RangeError(`annSample must be a non-negative integer`);
  const threads = defaultThreads(options.threads);
  const batchSize = positiveInt('batchSize', options.batchSize ?? DEFAULT_KNN.batchSize);
  const queried = Math.min(n, options.queryRows === undefined ? n : Math.max(0, Math.floor(options.queryRows)));
  const topK = params.topK;
  const seconds = { build: 0, reload: 0, search: 0, exact: 0, pairs: 0 };
  const empty: CandidatePairs = { a: new Uint32Array(0), b: new Uint32Array(0), cosine: new Float32Array(0) };
  if (n < 2) {
    return { pairs: empty, annRecall: NaN, annRecallAboveMin: NaN, sampleSize: 0, seconds, stats: { rows: n, dimensions: d, rawPairs: 0, pairs: 0, queriedRows: 0, addThreads: 0, searchThreads: 0 }, params };
  }
  checkNormalised(vectors, n, d);

  // i8 inner products come back in integer units; the cosine metric rescales them.
  const quantized = params.quantization !== 'f32';
  const metric = params.quantization === 'i8' ? MetricKind.Cos : MetricKind.IP;
  const index = new Index({
    dimensions: d,
    metric,
    quantization: params.quantization as ScalarKind,
    connectivity: params.connectivity,
    expansion_add: params.expansionAdd,
    expansion_search: params.expansionSearch,
    multi: false,
  });
  const keys = new BigUint64Array(n);
  for (let i = 0; i < n; i++) keys[i] = BigInt(i);
  const addThreads = params.deterministic ? 1 : threads;
  let t = performance.now();
  index.add(keys, vectors, addThreads);
  seconds.build = (performance.now() - t) / 1000;

  let searchThreads = addThreads;
  if (addThreads < threads) {
    // Reload so that usearch reserves search contexts for every hardware thread (see above).
    t = performance.now();
    const dir = mkdtempSync(join(options.scratchDir ?? tmpdir(), 'synograph-knn-'));
    try {
      const file = join(dir, 'index.usearch');
      index.save(file);
      index.load(file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    searchThreads = Math.max(1, Math.min(threads, cpus().length || 1));
    seconds.reload = (performance.now() - t) / 1000;
  }

  const sample = params.annSample > 0 && queried > 0 ? sampleRows(queried, params.annSample, params.seed) : new Uint32Array(0);
  const annKeys = new Uint32Array(sample.length * topK);
  const annCounts = new Uint32Array(sample.length);
  let nextSample = 0;

  const wanted = Math.min(topK + 1, n);
  const keep = quantized ? params.minCosine - QUANTIZED_MARGIN : params.minCosine;
  const raw = new PairBuffer();
  t = performance.now();
  for (let start = 0; start < queried; start += batchSize) {
    const end = Math.min(queried, start + batchSize);
    // A single query returns unbatched Matches: widen the batch by a neighbouring row (n >= 2).
    let first = start;
    let last = end;
    if (end - start === 1) {
      if (start > 0) first = start - 1;
      else last = start + 2;
    }
    const queries = vectors.subarray(first * d, last * d);
    const r = index.search(queries, wanted, searchThreads) as unknown as BatchMatches;
    const rk = lowWords(r.keys);
    for (let q = start; q < end; q++) {
      const base = (q - first) * wanted;
      const found = Number(r.counts[q - first]);
      const sampled = nextSample < sample.length && sample[nextSample] === q;
      let m = 0;
      for (let j = 0; j < found && m < topK; j++) {
        const key = rk[2 * (base + j)];
        if (key === q) continue;
        if (sampled) annKeys[nextSample * topK + m] = key;
        m++;
        const cos = 1 - r.distances[base + j];
        if (cos >= keep) {
          if (q < key) raw.push(q, key, cos);
          else raw.push(key, q, cos);
        }
      }
      if (sampled) annCounts[nextSample++] = m;
    }
    options.onProgress?.(end, queried);
  }
  seconds.search = (performance.now() - t) / 1000;

  t = performance.now();
  let rawLength = raw.length;
  if (quantized) {
    // Rescore from the f32 input: stored cosines are exact, and the threshold is applied exactly.
    let w = 0;
    for (let i = 0; i < rawLength; i++) {
      const c = dot(vectors, d, raw.a[i], raw.b[i]);
      if (c < params.minCosine) continue;
      raw.a[w] = raw.a[i];
      raw.b[w] = raw.b[i];
      raw.c[w] = c;
      w++;
    }
    rawLength = w;
  }
  const pairs = sortAndDedupePairs(raw.a, raw.b, raw.c, rawLength, n);
  seconds.pairs = (performance.now() - t) / 1000;

  let annRecall = NaN;
  let annRecallAboveMin = NaN;
  if (sample.length > 0) {
    t = performance.now();
    const exact = exactTopK(vectors, n, d, sample, topK, threads);
    seconds.exact = (performance.now() - t) / 1000;
    let hits = 0;
    let total = 0;
    let hitsAbove = 0;
    let totalAbove = 0;
    const found = new Set<number>();
    for (let s = 0; s < sample.length; s++) {
      found.clear();
      for (let j = 0; j < annCounts[s]; j++) found.add(annKeys[s * topK + j]);
      for (let j = 0; j < exact.counts[s]; j++) {
        const hit = found.has(exact.keys[s * topK + j]);
        total++;
        if (hit) hits++;
        if (exact.cos[s * topK + j] >= params.minCosine) {
          totalAbove++;
          if (hit) hitsAbove++;
        }
      }
    }
    annRecall = total > 0 ? hits / total : NaN;
    annRecallAboveMin = totalAbove > 0 ? hitsAbove / totalAbove : NaN;
  }

  return {
    pairs,
    annRecall,
    annRecallAboveMin,
    sampleSize: sample.length,
    seconds,
    stats: { rows: n, dimensions: d, rawPairs: rawLength, pairs: pairs.a.length, queriedRows: queried, addThreads, searchThreads },
    params,
  };
}
