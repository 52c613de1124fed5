/**
 * Candidate-stage benchmark: HNSW top-k over seeded clustered synthetic embeddings; prints JSON.
 *
 *   npm run build && node dist/scripts/bench-knn.js [--sizes 100000,1000000] [--dims 128]
 *       [--k 100] [--sample 1000] [--min-cosine 0.7] [--threads N] [--parallel-build-check]
 *       [--max-queries 100000] [--deterministic-max 200000]
 *
 * Vectors: a hierarchical Gaussian mixture (topics of ~400 rows split into small clusters of mean
 * size 8 with varying tightness, plus one shared direction giving random pairs a cosine ~0.2, as
 * real embedding models do), L2-normalised, rows shuffled. Each size runs in its own process so
 * that its peak RSS is its own. Every row is indexed; the first `--max-queries` rows (a random
 * subset, rows being shuffled) search their top k, and `projectedSearchSecondsAllRows` scales that
 * up. Sizes above `--deterministic-max` build on every thread (`deterministic: false`): on 2 cores
 * a single-threaded 1M build alone takes ~10 min. The JSON says which applied to each run.
 * The baseline, measured in the same run, is usearch's SIMD brute-force exactSearch
 * on the recall sample with the same threads; `speedupOverExact` is HNSW queries/s over exact
 * queries/s. `--parallel-build-check` (sizes <= 200k) also times a multi-threaded add and checks
 * whether two such builds agree.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Index, MetricKind, ScalarKind, type BatchMatches } from 'usearch';
import { DEFAULT_KNN, findCandidates } from '../src/candidates/knn.js';
import { peakRssBytes } from '../src/util/memory.js';
import { mulberry32 } from '../src/util/random.js';
import { defaultThreads } from '../src/util/workers.js';

function gaussian(rnd: () => number): number {
  let u = 0;
  while (u === 0) u = rnd();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
}

/** Seeded clustered unit vectors (see the header). */
function clusteredVectors(n: number, d: number, seed: number): Float32Array {
  const rnd = mulberry32(seed);
  const out = new Float32Array(n * d);
  const scale = 1 / Math.sqrt(d);
  const shared = Float32Array.from({ length: d }, () => gaussian(rnd) * scale);
  const topic = new Float32Array(d);
  const center = new Float32Array(d);
  const topicSize = 400;
  const meanClusterSize = 8;
  let row = 0;
  let inTopic = topicSize;
  while (row < n) {
    if (inTopic >= topicSize) {
      for (let j = 0; j < d; j++) topic[j] = gaussian(rnd) * scale;
      inTopic = 0;
    }
    const size = Math.min(n - row, 1 + Math.floor(-Math.log(1 - rnd()) * (meanClusterSize - 1)));
    const spread = (0.35 + 0.5 * rnd()) * scale;
    for (let j = 0; j < d; j++) center[j] = 0.6 * shared[j] + 0.8 * topic[j] + 0.7 * gaussian(rnd) * scale;
    for (let r = 0; r < size; r++, row++) {
      const o = row * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const x = center[j] + spread * gaussian(rnd);
        out[o + j] = x;
        s += x * x;
      }
      s = 1 / Math.sqrt(s);
      for (let j = 0; j < d; j++) out[o + j] *= s;
    }
    inTopic += size;
  }
  const tmp = new Float32Array(d);
  for (let i = n - 1; i > 0; i--) {
    const k = Math.floor(rnd() * (i + 1));
    if (k === i) continue;
    tmp.set(out.subarray(i * d, i * d + d));
    out.copyWithin(i * d, k * d, k * d + d);
    out.set(tmp, k * d);
  }
  return out;
}

interface ChildArgs {
  n: number;
  d: number;
  k: number;
  sample: number;
  minCosine: number;
  threads: number;
  parallelBuildCheck: boolean;
  maxQueries: number;
  deterministicMax: number;
}

const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

function child(args: ChildArgs): unknown {
  const log = (msg: string): boolean => process.stderr.write(`[bench-knn ${args.n}] ${msg}\n`);
  let t = performance.now();
  const vectors = clusteredVectors(args.n, args.d, 1);
  const generateSeconds = (performance.now() - t) / 1000;
  const rssBefore = process.memoryUsage.rss();
  log(`generated in ${generateSeconds.toFixed(1)} s`);
  let lastLog = performance.now();
  t = performance.now();
  const r = findCandidates(vectors, args.d, {
    topK: args.k,
    minCosine: args.minCosine,
    annSample: args.sample,
    threads: args.threads,
    queryRows: args.maxQueries,
    deterministic: args.n <= args.deterministicMax,
    onProgress: (done, total) => {
      if (performance.now() - lastLog > 30_000) {
        lastLog = performance.now();
        log(`searched ${done}/${total}`);
      }
    },
  });
  const totalSeconds = (performance.now() - t) / 1000;
  const peak = peakRssBytes();
  const qps = r.stats.queriedRows / r.seconds.search;
  const exactQps = r.sampleSize / r.seconds.exact;
  log(`done in ${totalSeconds.toFixed(1)} s`);

  let parallelBuild: unknown;
  if (args.parallelBuildCheck && args.n <= 200_000) {
    const keys = new BigUint64Array(args.n);
    for (let i = 0; i < args.n; i++) keys[i] = BigInt(i);
    const queries = vectors.slice(0, 2000 * args.d);
    const builds = [0, 1].map(() => {
      const index = new Index({ dimensions: args.d, metric: MetricKind.IP, quantization: ScalarKind.F32, connectivity: DEFAULT_KNN.connectivity, expansion_add: DEFAULT_KNN.expansionAdd, expansion_search: DEFAULT_KNN.expansionSearch, multi: false });
      const started = performance.now();
      index.add(keys, vectors, args.threads);
      const seconds = (performance.now() - started) / 1000;
      const found = index.search(queries, args.k + 1, args.threads) as unknown as BatchMatches;
      return { seconds, keys: found.keys };
    });
    let differing = 0;
    for (let i = 0; i < builds[0].keys.length; i++) if (builds[0].keys[i] !== builds[1].keys[i]) differing++;
    parallelBuild = {
      addThreads: args.threads,
      buildSeconds: builds.map((b) => round(b.seconds, 2)),
      singleThreadedBuildSeconds: round(r.seconds.build, 2),
      speedup: round(r.seconds.build / Math.min(...builds.map((b) => b.seconds)), 2),
      sameNeighboursTwice: differing === 0,
      differingNeighbourSlotsOf2000Queries: differing,
    };
    log('parallel build check done');
  }

  return {
    rows: args.n,
    dimensions: args.d,
    topK: args.k,
    minCosine: args.minCosine,
    threads: args.threads,
    params: r.params,
    queriedRows: r.stats.queriedRows,
    seconds: { generate: round(generateSeconds, 2), ...Object.fromEntries(Object.entries(r.seconds).map(([k, v]) => [k, round(v, 2)])), total: round(totalSeconds, 2) },
    projectedSearchSecondsAllRows: Math.round(args.n / qps),
    queriesPerSecond: Math.round(qps),
    queriesPerSecondPerCore: Math.round(qps / r.stats.searchThreads),
    insertsPerSecond: Math.round(args.n / r.seconds.build),
    annRecall: round(r.annRecall, 4),
    annRecallAboveMinCosine: round(r.annRecallAboveMin, 4),
    sampleSize: r.sampleSize,
    baseline: {
      method: 'usearch exactSearch (SIMD brute force) over all rows, same threads, on the recall sample',
      queriesPerSecond: round(exactQps, 1),
      queriesPerSecondPerCore: round(exactQps / args.threads, 1),
      projectedSecondsForAllRows: Math.round(args.n / exactQps),
    },
    speedupOverExact: round(qps / exactQps, 1),
    pairs: r.stats.pairs,
    rawPairs: r.stats.rawPairs,
    // Each pair is found from both sides when both rows query (rawPairs ~ 2 x pairs in a full run).
    pairsPerRowEstimate: round(r.stats.rawPairs / (2 * r.stats.queriedRows), 2),
    addThreads: r.stats.addThreads,
    searchThreads: r.stats.searchThreads,
    peakRssBytes: peak,
    inputVectorBytes: vectors.byteLength,
    peakRssAboveInputBytesPerRow: Math.round((peak - rssBefore) / args.n),
    parallelBuild,
  };
}

/** Bytes for `n` rows: the stored vectors plus the HNSW base layer (2 x connectivity 4-byte slots). */
function projection(n: number, connectivity: number, pairsPerRow: number): unknown {
  const GiB = 1024 ** 3;
  const bytesPer = { f32: 4, f16: 2, i8: 1 } as const;
  const rows = [];
  for (const dims of [128, 256, 384]) {
    const graph = n * connectivity * 2 * 4;
    const entry: Record<string, unknown> = { dims, graphGiB: round(graph / GiB, 2) };
    for (const [q, b] of Object.entries(bytesPer)) entry[q] = { vectorsGiB: round((n * dims * b) / GiB, 2), indexGiB: round((n * dims * b + graph) / GiB, 2) };
    entry.callerF32InputGiB = round((n * dims * 4) / GiB, 2);
    rows.push(entry);
  }
  return {
    terms: n,
    connectivity,
    model: 'index = n x dims x bytes/scalar + n x connectivity x 2 x 4 (base-layer links; upper layers add ~1/connectivity of that)',
    note: 'findCandidates also needs the caller\'s f32 matrix (rescoring reads it), and candidate pairs at 12 bytes each (24 while de-duplicating raw pairs)',
    pairsGiBAtMeasuredDensity: round((n * pairsPerRow * 12) / GiB, 2),
    table: rows,
  };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string' },
      dims: { type: 'string' },
      k: { type: 'string' },
      sample: { type: 'string' },
      'min-cosine': { type: 'string' },
      threads: { type: 'string' },
      'parallel-build-check': { type: 'boolean' },
      'max-queries': { type: 'string' },
      'deterministic-max': { type: 'string' },
      child: { type: 'string' },
    },
  });
  const common = {
    d: Number(values.dims ?? 128),
    k: Number(values.k ?? DEFAULT_KNN.topK),
    sample: Number(values.sample ?? DEFAULT_KNN.annSample),
    minCosine: Number(values['min-cosine'] ?? DEFAULT_KNN.minCosine),
    threads: defaultThreads(values.threads ? Number(values.threads) : undefined),
    parallelBuildCheck: values['parallel-build-check'] ?? false,
    maxQueries: Number(values['max-queries'] ?? 100_000),
    deterministicMax: Number(values['deterministic-max'] ?? 200_000),
  };
  if (values.child) {
    process.stdout.write(JSON.stringify(child({ ...common, n: Number(values.child) })));
    return;
  }
  const sizes = (values.sizes ?? '100000,1000000').split(',').map(Number);
  const self = fileURLToPath(import.meta.url);
  const runs: Array<Record<string, unknown>> = [];
  for (const n of sizes) {
    const argv = [self, '--child', String(n), '--dims', String(common.d), '--k', String(common.k), '--sample', String(common.sample), '--min-cosine', String(common.minCosine), '--threads', String(common.threads), '--max-queries', String(common.maxQueries), '--deterministic-max', String(common.deterministicMax)];
    if (common.parallelBuildCheck) argv.push('--parallel-build-check');
    const out = execFileSync(process.execPath, argv, { maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] });
    runs.push(JSON.parse(out.toString()) as Record<string, unknown>);
  }
  const last = runs[runs.length - 1];
  process.stdout.write(
    JSON.stringify(
      {
        benchmark: 'knn-candidates',
        cores: cpus().length,
        availableParallelism: availableParallelism(),
        data: 'seeded hierarchical Gaussian mixture (topics of 400, clusters of mean size 8), L2-normalised, shuffled',
        notes: [
          'params.deterministic true: single-threaded add, save + load of the index, multi-threaded search (the library default); false: add on every thread (used above --deterministic-max to keep the run short)',
          `only the first min(rows, ${common.maxQueries}) rows (a random subset: rows are shuffled) query the index; projectedSearchSecondsAllRows = rows / queriesPerSecond; pairs cover the queried rows only`,
          'seconds.search: queried rows searching top k+1 (self dropped); seconds.exact: the brute-force baseline on the recall sample',
          'timings are wall-clock on a shared machine: other processes may have competed for the cores',
        ],
        runs,
        memoryProjection15M: projection(15_000_000, DEFAULT_KNN.connectivity, Number(last.pairsPerRowEstimate)),
      },
      null,
      2,
    ) + '\n',
  );
}

main();
