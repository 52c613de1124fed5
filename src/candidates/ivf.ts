/**
 * Candidate pairs by a seeded inverted-file partition with exact block scans (the default of the
 * candidates stage; knn.ts keeps the HNSW path as the benchmark's baseline).
 *
 * All-pairs top-k is a batch problem: every row is a query and every row is data, so the work can
 * be cut into dense blocks that a GEMM scores at full speed, instead of one graph walk per query.
 * 1. Spherical k-means on a seeded sample of rows (`sampleFactor` rows per cell, `iterations`
 *    rounds, centroids seeded from the sample) gives `n / cellSize` cells.
 * 2. Every row gets its `probes` nearest centroids, exactly (a GEMM + TopK against all centroids);
 *    its first is its own cell. With `recall`, `probes` is raised until a seeded sample predicts
 *    that recall (src/candidates/probe-count.ts). Steps 1-2 are src/candidates/partition.ts (from 2,048 cells its
 *    k-means is local after the first round and large cells split on its sample; from 16,384
 *    cells a row's probes are its nearest among the cells of its nearest groups of cells).
 * 3. For each cell, one block: every query row that probes the cell against the cell's rows; the
 *    kernel returns each inner product at or above `minCosine` (GEMM, threshold, NonZero).
 * 4. Each query keeps its `topK` best (score descending, then row id), and pairs are stored once
 *    (a < b), the higher score on a duplicate: the same contract as knn.ts.
 *    With `bothSides`, a score is offered to both rows: to the query, and to the scanned row when
 *    that row is a query of the same pass whose own probes do not cover the query's cell (else it
 *    scores the pair itself, and would hold it twice). So a pair is found when either row probes
 *    the other's cell. At 928k rows of the 1M-line bench:e2e list (minCosine 0.60), 40 probes:
 *    recall 0.919 -> 0.969 for 16% more scan time (102 -> 119 s, more scores returned); 32
 *    probes: 0.966; 24: 0.951. Builds use it with 32 probes; measured in one period at 928k rows,
 *    one side's 40 probes took 150.5-150.9 s for recall 0.919, both sides' 32 took 158.2 s for
 *    0.962 (the scan ran 7.4k rows a query instead of 9.1k, but returned more scores). It waited
 *    for a steadier relations model: that model draws its unrelated training pairs from the
 *    candidates, and any change of them (this one, or another k-means sample) moved its gated
 *    model edges by 2-3x until it was trained to convergence.
 * The scores are float32 inner products of the stored vectors (exact, not quantised), by the
 * compiled kernel (native/block.cc) or, where it was not built, ONNX Runtime's GEMM: the same
 * scores bit for bit (test/native-kernel.test.ts). Nothing depends on timing or thread interleaving: the sample, the k-means, the
 * cell order, the block shapes and the merge order are fixed by the inputs and the seed, so two
 * runs give identical pairs (tested).
 *
 * Why not HNSW: usearch builds a reproducible graph on one thread only (612 s for 1M rows of 128
 * dims on this 2-core machine, 1,226 s in a full build), and on the builtin embedder's flat
 * neighbourhoods a beam of 256 found 0.86 of the exact top-100 at 200k rows and 0.79 at 1M.
 * Measured on 191k rows of a generated term list (`generate-terms --shape phrases`, builtin
 * embedder; a row has ~78 exact neighbours at cosine >= 0.70 and a random pair has cosine 0.40),
 * 500 sampled rows, recall of the kept neighbours (top-100, cosine >= 0.70):
 * - before cells were split: 32 probes of cells of 256 rows scanned 24.5k rows a query for 0.961;
 *   k-means on this flat space leaves giant cells (6,365 rows), which most rows probe;
 * - cells split to <= 2 x 256 (1,072 cells, largest 1,143): 24 / 32 / 40 / 48 probes scan 8.1k /
 *   10.8k / 13.4k / 16.1k rows a query for 0.923 / 0.941 / 0.950 / 0.955 (scan 23 / 28 / 34 / 57 s
 *   on 2 busy cores); cells of 384 with 32 probes: 15.2k rows for 0.947. One-sided, 40 probes
 *   were the default (32 with `bothSides`).
 * - probing by the query cell's centroid instead of each row's own list needed twice the rows for
 *   less (0.867 at 28k), so each row probes its own cells.
 * - smaller cells scan fewer rows for the same recall, but no faster: at 928k rows of the 1M-line
 *   bench:e2e list, cells of 128 (10.5k cells, 39 probes) scanned 4.7k rows a query for recall
 *   0.961 where cells of 256 (5.2k, 33) scanned 7.8k for 0.961, and the scan took as long (22.8 and
 *   23.9 s against 23.4 and 28.1 s, alternating): its time goes to the hits and their offers more
 *   than to the scores. The partition and the probe pass took 10.5 + 13.1 s instead of 4.5 + 8.5.
 * - one probe count for every row did better than a count of each row's own: on one partition of
 *   those rows (every row's 128 nearest cells, a sample's exact neighbours), probing the cells within
 *   a margin of a row's best centroid score, or in order up to a budget of rows, found fewer
 *   neighbours for the rows scanned than a fixed count (fixed 32: 0.958 at 7.7k rows; margin
 *   0.15 with at least 16 cells: 0.960 at 8.7k; 8,000 rows: 0.957 at 8.2k).
 * The scan runs at 75-140 M scored pairs/s here: the GEMM is cheap, the passes over each block's
 * score matrix (threshold, NonZero, gather) and the per-query lists are most of it. Rounds of
 * probe ranks (the 2 nearest cells, then the next 6, then the rest) let each query's list fill
 * before the far cells are scanned, so those return only rows that beat its current k-th best:
 * with one threshold (0.70) for all, 50k rows returned 56M scores (1,121 a row) and the merge
 * took as long as the scan; with the rounds, 26M.
 * Above `passRows` rows the scan runs in passes, and with `bothSides` a score for a row of another
 * pass is not dropped: a later pass's row gets it when its pass starts, as if found then, and a
 * finished row keeps it as a late pair when it beats that row's final k-th best (so a row of an
 * early pass may hold a few pairs beyond its top-k; nothing it would have kept in one pass is
 * lost). Without that, the 1M-line bench:e2e list's 928k rows in two passes of 500k had recall
 * 0.940 instead of one pass's 0.961, and 2.7M rows in two passes of 2M 0.935. With it, the two
 * passes gave 0.961 again and 62.05M pairs (one pass: 61.71M), for 0.24 GB more peak memory
 * (the waiting offers, 12 bytes each) and no more time (226 s against 233 s). A later row
 * takes only offers that can still enter its top-k (src/candidates/offers.ts), and when the pairs
 * are spilled the offers wait in files too: at 2.69M rows, 505.5M waiting offers became 76.9M,
 * on disk, the kernel returned 2.02G scores instead of 2.46G, and the same pairs came out in 641 s
 * instead of 738 s, at 6.5 GB peak instead of 12.2.
 * Recall is measured on a seeded sample against exact search by the same kernel over all rows:
 * `annRecall` is the share of each sampled row's exact kept neighbours (its top-k at or above
 * minCosine, the pairs this stage stores) that the partition found.
 *
 * Memory: the vectors (shared with the kernel thread), the probe lists (n x probes x 4 bytes,
 * twice: by row and by cell), and the found neighbours of one pass of query rows (12 bytes each,
 * `passRows` rows per pass) before they are cut to topK and made pairs; with several passes also
 * each later row's score histogram (37 bytes), each finished row's final k-th best (8 bytes), and
 * unless spilled, the offers waiting for later passes (12 bytes each).
 * The raw pairs (12 bytes each, ~80 a row) and their sort stay in memory unless `spillRows` sends
 * them to files, sorted a range of rows at a time (src/candidates/raw-pairs.ts; the stage does).
 */
import { availableParallelism } from 'node:os';
import { BLOCK_CELLS, Kernel, shared } from './kernel.js';
import { exactNeighbours } from './exact.js';
import { chooseProbes } from './probe-count.js';
import type { ScanOffer } from './native-kernel.js';
import type { CandidatePairs } from './knn.js';
import { LaterBars, MemoryOffers, Offers, SpilledOffers, type WaitingOffers } from './offers.js';
import { groupBy, groupColumns } from '../util/group-by.js';
import { partitionCells, QUERY_CHUNK, sampleOrder } from './partition.js';
import { MemoryPairs, SpilledPairs, type PairChunk } from './raw-pairs.js';
import { TopLists } from './top-lists.js';

export interface IvfOptions {
  topK?: number;
  minCosine?: number;
  /** Mean rows per cell. Default 256. */
  cellSize?: number;
  /** The fewest cells each row scans (its own first). Default 32. */
  probes?: number;
  /**
   * Predicted ANN recall the probe count is raised to reach, up to `maxProbes`
   * (src/candidates/probe-count.ts, on `annSample` rows of another seed); 0, or no `annSample`,
   * scans `probes`.
   * Default 0.96: the measured recall has to reach 0.95 on a sample of its own, and at 4.4M rows
   * (seed 42) 43 probes chosen for 0.955 measured 0.949, 50 chosen for 0.960 measured 0.955.
   */
  recall?: number;
  /** The most cells a row scans when `recall` raises the count. Default 96. */
  maxProbes?: number;
  /** Offer each score to the scanned row too (step 4 of the header). Default on. */
  bothSides?: boolean;
  /** k-means sample rows per cell. Default 32. */
  sampleFactor?: number;
  /** k-means rounds. Default 8. */
  iterations?: number;
  seed?: number;
  /** ONNX Runtime's intra-op threads. Default: one per available core. */
  threads?: number;
  /** Rows whose neighbours are compared with exact search. Default 1000; 0 skips it. */
  annSample?: number;
  /** Query rows per pass (bounds the found-neighbour buffer). Default 2,000,000. */
  passRows?: number;
  /**
   * Append the raw pairs to files by ranges of this many rows (in `spillDir`, default the OS's
   * temporary directory) and sort them a range at a time, in `chunks()`, instead of in memory
   * (src/candidates/raw-pairs.ts). Default 0: in memory.
   */
  spillRows?: number;
  spillDir?: string;
  /** The spill directory's name starts with this (a random suffix follows). */
  spillPrefix?: string;
  /** From this many cells, the k-means rounds after the first are local and cells split on the sample (src/candidates/partition.ts). Default 2,048. */
  localFrom?: number;
  /** From this many cells, each row's probes (and the k-means' first round) are found among its nearest groups of cells (src/candidates/partition.ts). Default 16,384 (~4.2M rows). */
  groupedFrom?: number;
  onProgress?: (done: number, total: number) => void;
  /**
   * Score the partition's nearest cells and the scan's blocks by the compiled kernel, and offer the
   * scores to the lists by compiled code, when the addon was built (default); or score by ONNX
   * Runtime and offer in JS.
   */
  kernel?: 'native' | 'onnx';
}

export const DEFAULT_IVF = Object.freeze({ topK: 100, minCosine: 0.7, cellSize: 256, probes: 32, recall: 0.96, maxProbes: 96, bothSides: true, sampleFactor: 32, iterations: 8, seed: 1, annSample: 1000, passRows: 2_000_000, localFrom: 2048, groupedFrom: 16_384 });

export interface IvfResult {
  /** The pairs in (a, b) order; empty when spilled (`spillRows`): read `chunks()`. */
  pairs: CandidatePairs;
  /**
   * The pairs in (a, b) order, a range of rows `a` at a time (one chunk when not spilled). Once: a
   * spilled range's file is removed as it is read; `stats.pairs` and `seconds.pairs` count the
   * ranges as they are read.
   */
  chunks(): Generator<PairChunk>;
  /** Removes what is left of the spill (call it in a `finally`). */
  dispose(): void;
  annRecall: number;
  /** The recall the probe count was chosen for, predicted on its own sample (NaN: `probes` as given). */
  predictedRecall: number;
  sampleSize: number;
  /** `probe` includes `probeCount`, the choice of the probe count (`recall`). */
  seconds: { partition: number; probe: number; probeCount: number; scan: number; pairs: number; exact: number };
  stats: { rows: number; dimensions: number; cells: number; largestCell: number; probeGroups: number; scannedPerQuery: number; found: number; waited: number; rawPairs: number; pairs: number; passes: number; threads: number; blocks: number; kernel: 'native' | 'onnx' };
  /** `probes`: the count scanned (chosen for `recall` when that is on). */
  params: { topK: number; minCosine: number; cellSize: number; probes: number; recall: number; bothSides: boolean; sampleFactor: number; iterations: number; seed: number };
}

/** Probe ranks where a round of the scan ends: the nearest cells first, then the rest against the lists they filled. */
const ROUNDS = [0, 2, 8];
/** A row threshold no score passes: the query's threshold decides. */
const NO_BAR = 2;
/**
 * Blocks queued at once. The compiled blocks offer their own hits, so the JS thread only prepares
 * blocks; with 3 queued the cores sat partly idle. At 928k rows the scan took 36.8 and 33.3 s with
 * 3, 30.9 and 31.1 s with 8, 30.2 s with 16, the same pairs. With a faster kernel since, 8 left
 * the cores 1.75 busy on average through the scan; alternating runs took 25.7-29.8 s with 8 (four,
 * mean 27.6), 23.4-25.3 s with 16 (four, mean 24.5) and 24.2-27.7 s with 32 or 64 (four).
 * ONNX Runtime's blocks bring their hits back to the JS thread, and keep 3 queued.
 */
const IN_FLIGHT = { offering: 16, returning: 3 };

/** Hands the offers waiting for rows lo .. hi - 1 to `offer`, a piece at a time (a piece's words are reused for the next). */
async function takeWaiting(waiting: WaitingOffers, lo: number, hi: number, offer: (words: Uint32Array, length: number) => Promise<void> | void): Promise<void> {
  for (const { words, length } of waiting.pieces(lo, hi)) await offer(words, length);
}

/** Offers records of three words (row, other, score bits) to `lists`, whose first row is `lo`, on this thread. */
function offerEach(lists: TopLists, lo: number): (words: Uint32Array, length: number) => void {
  return (words, length) => {
    const scores = new Float32Array(words.buffer, words.byteOffset, 3 * length);
    for (let i = 0; i < length; i++) lists.offer(words[3 * i] - lo, words[3 * i + 1], scores[3 * i + 2]);
  };
}

/** A generator function yielding all `pairs` (of `rows` rows) as one chunk. */
function once(pairs: CandidatePairs, rows: number): () => Generator<PairChunk> {
  return function* () {
    yield { pairs, from: 0, to: rows };
  };
}

export async function findCandidatesIvf(vectors: Float32Array, dimensions: number, options: IvfOptions = {}): Promise<IvfResult> {
  const d = dimensions;
  if (!(Number.isInteger(d) && d > 0) || vectors.length % d !== 0) throw new RangeError(`vectors length ${vectors.length} is not a multiple of ${d} dimensions`);
  const n = vectors.length / d;
  const p = { ...DEFAULT_IVF, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof DEFAULT_IVF & IvfOptions;
  const threads = Math.max(1, p.threads ?? availableParallelism());
  const bothSides = p.bothSides;
  const params: IvfResult['params'] = { topK: p.topK, minCosine: p.minCosine, cellSize: p.cellSize, probes: p.probes, recall: p.recall, bothSides, sampleFactor: p.sampleFactor, iterations: p.iterations, seed: p.seed };
  const seconds = { partition: 0, probe: 0, probeCount: 0, scan: 0, pairs: 0, exact: 0 };
  let cells = Math.max(1, Math.round(n / p.cellSize));
  const least = Math.min(cells, p.probes);
  const empty: CandidatePairs = { a: new Uint32Array(0), b: new Uint32Array(0), cosine: new Float32Array(0) };
  if (n < 2) {
    return { pairs: empty, chunks: once(empty, n), dispose: () => {}, annRecall: NaN, predictedRecall: NaN, sampleSize: 0, seconds, stats: { rows: n, dimensions: d, cells: 0, largestCell: 0, probeGroups: 0, scannedPerQuery: 0, found: 0, waited: 0, rawPairs: 0, pairs: 0, passes: 0, threads, blocks: 0, kernel: 'onnx' }, params };
  }
  const kernel = new Kernel(shared(vectors), d, threads, p.kernel);
  let predictedRecall = NaN;
  const choose =
    p.recall > 0 && p.annSample > 0
      ? async (centroids: Float32Array): Promise<number> => {
          const choice = await chooseProbes(kernel, n, centroids, { least, most: p.maxProbes, target: p.recall, topK: p.topK, minCosine: p.minCosine, bothSides, sample: p.annSample, seed: p.seed + 2 });
          predictedRecall = choice.predicted;
          seconds.probeCount = choice.seconds;
          return choice.probes;
        }
      : undefined;
  const part = await partitionCells(kernel, n, { cellSize: p.cellSize, probes: least, sampleFactor: p.sampleFactor, iterations: p.iterations, seed: p.seed, localFrom: p.localFrom, groupedFrom: p.groupedFrom }, choose);
  const probes = part.probes;
  params.probes = probes;
  cells = part.cells;
  seconds.partition = part.seconds.partition;
  seconds.probe = part.seconds.probe;
  const probeList = part.probeList;
  let t = performance.now();
  const own = groupBy(probeList, probes, 0, n, cells); // rows of each cell, ascending
  let largestCell = 0;
  let scanned = 0;
  for (let c = 0; c < cells; c++) largestCell = Math.max(largestCell, own.offsets[c + 1] - own.offsets[c]);
  for (let i = 0; i < probeList.length; i++) scanned += own.offsets[probeList[i] + 1] - own.offsets[probeList[i]];
  /** Row r scans cell c itself (so must not be offered a pair of c's rows a second time). */
  const probesCell = (r: number, c: number): boolean => {
    for (let j = r * probes, end = j + probes; j < end; j++) if (probeList[j] === c) return true;
    return false;
  };
  seconds.probe += (performance.now() - t) / 1000;

  const sample = p.annSample > 0 ? sampleOrder(n, p.annSample, p.seed + 1).sort() : new Int32Array(0);
  const isSampled = new Uint8Array(n);
  for (const r of sample) isSampled[r] = 1;
  const sampleFound = new Map<number, number[]>();

  // Scan, in passes over ranges of query rows, each in rounds of probe ranks (nearest cells
  // first), so that a query's list fills early and later blocks return only rows that beat it.
  const spill = p.spillRows && p.spillRows > 0 ? new SpilledPairs(n, p.spillRows, p.spillDir, p.spillPrefix) : null;
  const raw = spill ?? new MemoryPairs(n);
  let offerFiles: SpilledPairs | null = null;
  try {
    const passes = Math.ceil(n / p.passRows);
    const rounds = ROUNDS.filter((r) => r < probes).concat(probes);
    let foundTotal = 0;
    const total = passes * (rounds.length - 1) * cells;
    let done = 0;
    // Across passes (see the header): each finished row's final k-th best (score, row; -1: not full),
    // the offers waiting for rows of later passes, and the late pairs of finished rows.
    const across = bothSides && passes > 1;
    const finalScore = across ? new Float32Array(n) : new Float32Array(0);
    const finalRow = across ? new Int32Array(n) : new Int32Array(0);
    // Offers for rows of later passes go through their bars (offers.ts); they wait beside the spilled pairs when those are spilled.
    const laterBars = across ? new LaterBars(p.passRows, n, p.topK, p.minCosine) : null;
    offerFiles = across && spill ? new SpilledPairs(n, p.passRows, p.spillDir, p.spillPrefix) : null;
    const waiting: WaitingOffers = offerFiles ? new SpilledOffers(offerFiles, p.passRows) : new MemoryOffers();
    let waited = 0;
    let late = new Offers();
    /** Finished row r would have kept `other` at `score`: its list was not full, or this beats its k-th. */
    const beatsFinal = (r: number, other: number, score: number): boolean => finalRow[r] < 0 || score > finalScore[r] || (score === finalScore[r] && other < finalRow[r]);
    for (let pass = 0; pass < passes; pass++) {
      const lo = pass * p.passRows;
      const hi = Math.min(n, lo + p.passRows);
      const count = hi - lo;
      t = performance.now();
      const lists = new TopLists(count, p.topK);
      /** With `across`, a score for a row outside this pass: it waits for a later row's pass, or is a finished row's late pair. */
      const outsidePass = (query: number, row: number, score: number): void => {
        if (row >= hi) {
          if (laterBars!.take(row, score)) {
            waiting.push(row, query, score);
            waited++;
          }
        } else if (beatsFinal(row, query, score)) late.push(row, query, score);
      };
      // With the compiled kernel, blocks offer their hits to these lists themselves.
      const offer: ScanOffer | null = kernel.kind === 'native' ? { scores: lists.s, rows: lists.r, lengths: lists.n, k: p.topK, lo, hi, floor: p.minCosine, bothSides, across, probeList, probes } : null;
      // Offers found by earlier passes for this pass's rows; the rest wait on. The compiled kernel
      // takes them on a thread of its own while the first blocks run (a list keeps the same k best
      // whatever the order of its offers; a bar read before they are in is only lower): at 4.4M rows,
      // the JS loop took 26.1 s with both cores idle for the 211M offers of the second pass.
      const taking = across ? takeWaiting(waiting, lo, hi, offer ? (words, length) => kernel.offerRecords(words, length, offer) : offerEach(lists, lo)) : Promise.resolve();
      // Awaited once the pass's blocks are done (or one failed); a failure meanwhile is not unhandled.
      taking.catch(() => {});
      const local = probeList.subarray(lo * probes, hi * probes);
      try {
        for (let round = 0; round + 1 < rounds.length; round++) {
          const r0 = rounds[round];
          const r1 = rounds[round + 1];
          // This round's (query, cell) entries by cell; positions ascend, so queries ascend by row.
          const byCell = groupColumns(local, probes, r0, r1, count, cells);
          const inFlight: Promise<void>[] = [];
          for (let c = 0; c < cells; c++, done++) {
            const rows = own.items.subarray(own.offsets[c], own.offsets[c + 1]);
            const entries = byCell.items.subarray(byCell.offsets[c], byCell.offsets[c + 1]);
            if (rows.length === 0 || entries.length === 0) continue;
            // Blocks of at most BLOCK_CELLS scores (the kernel's score matrix).
            const chunk = Math.max(256, Math.min(QUERY_CHUNK, Math.floor(BLOCK_CELLS / rows.length)));
            for (let start = 0; start < entries.length; start += chunk) {
              const part = entries.subarray(start, Math.min(entries.length, start + chunk));
              const queries = new Int32Array(part.length);
              const bars = new Float32Array(part.length);
              for (let i = 0; i < part.length; i++) {
                const q = Math.floor(part[i] / probes);
                queries[i] = lo + q;
                // Strictly-above in the kernel; ties at the bar are settled exactly by offer().
                bars[i] = lists.bar(q, p.minCosine) - 1e-6;
              }
              // With bothSides a row of this pass takes the score too (see the header): it needs its own bar.
              let rowBars: Float32Array | undefined;
              if (bothSides) {
                rowBars = new Float32Array(rows.length).fill(NO_BAR);
                for (let i = 0; i < rows.length; i++) {
                  const r = rows[i];
                  if (r >= lo && r < hi) rowBars[i] = lists.bar(r - lo, p.minCosine) - 1e-6;
                  else if (across) rowBars[i] = (r >= hi ? laterBars!.bar(r) : finalRow[r] >= 0 ? Math.max(p.minCosine, finalScore[r]) : p.minCosine) - 1e-6;
                }
              }
              if (offer) {
                // The block's offers are made on the kernel's thread; what comes back lies outside this pass.
                inFlight.push(
                  kernel.offeredBlock(queries, rows, bars, rowBars, offer).then((res) => {
                    foundTotal += res.found;
                    for (let i = 0; i < res.query.length; i++) outsidePass(queries[res.query[i]], rows[res.row[i]], res.scores[i]);
                  }),
                );
              } else {
                inFlight.push(
                  kernel.block(queries, rows, bars, rowBars).then((res) => {
                    foundTotal += res.query.length;
                    for (let i = 0; i < res.query.length; i++) {
                      const query = queries[res.query[i]];
                      const row = rows[res.row[i]];
                      const score = res.scores[i];
                      if (row === query || score < p.minCosine) continue;
                      lists.offer(query - lo, row, score);
                      if (!bothSides) continue;
                      if (row >= lo && row < hi) {
                        if (score >= lists.bar(row - lo, p.minCosine) && !probesCell(row, probeList[query * probes])) lists.offer(row - lo, query, score);
                      } else if (across && !probesCell(row, probeList[query * probes])) outsidePass(query, row, score);
                    }
                  }),
                );
              }
              if (inFlight.length >= (offer ? IN_FLIGHT.offering : IN_FLIGHT.returning)) await inFlight.shift();
            }
            p.onProgress?.(done + 1, total);
          }
          await Promise.all(inFlight);
        }
      } finally {
        // Throws its failure; after a failed block it still ends before the spill is removed.
        await taking;
      }
      seconds.scan += (performance.now() - t) / 1000;

      t = performance.now();
      // Every kept neighbour is a pair (a < b); a pair found from both sides is merged below.
      let kept = late.length;
      for (let q = 0; q < count; q++) kept += lists.n[q];
      raw.reserve(kept);
      for (let q = 0; q < count; q++) {
        const row = lo + q;
        for (let j = q * p.topK, end = j + lists.n[q]; j < end; j++) {
          const other = lists.r[j];
          raw.push(row < other ? row : other, row < other ? other : row, lists.s[j]);
        }
        if (isSampled[row]) sampleFound.set(row, Array.from(lists.r.subarray(q * p.topK, q * p.topK + lists.n[q])));
        if (across) {
          const full = lists.n[q] === p.topK;
          finalScore[row] = full ? lists.s[q * p.topK] : 0;
          finalRow[row] = full ? lists.r[q * p.topK] : -1;
        }
      }
      // Finished rows' late pairs: beyond their top-k (their lists are gone), so a pair is not lost.
      for (let i = 0; i < late.length; i++) {
        const row = late.row.data[i];
        const other = late.other.data[i];
        raw.push(row < other ? row : other, row < other ? other : row, late.score.data[i]);
        if (isSampled[row]) sampleFound.get(row)?.push(other);
      }
      late = new Offers();
      seconds.pairs += (performance.now() - t) / 1000;
    }
    offerFiles?.dispose();
    t = performance.now();
    const rawPairs = raw.length;
    const pairs = spill ? empty : (raw as MemoryPairs).sorted();
    seconds.pairs += (performance.now() - t) / 1000;

    let annRecall = NaN;
    if (sample.length > 0) {
      t = performance.now();
      // Exact kept neighbours of each sampled row (its top-k at or above minCosine) over every row.
      const exact = await exactNeighbours(kernel, n, sample, p.topK, p.minCosine);
      let hits = 0;
      let wanted = 0;
      sample.forEach((row, q) => {
        const got = new Set(sampleFound.get(row) ?? []);
        for (let j = q * p.topK, end = j + exact.n[q]; j < end; j++) {
          wanted++;
          if (got.has(exact.r[j])) hits++;
        }
      });
      annRecall = wanted > 0 ? hits / wanted : NaN;
      seconds.exact = (performance.now() - t) / 1000;
    }
    const stats = { rows: n, dimensions: d, cells, largestCell, probeGroups: part.groups, scannedPerQuery: Math.round(scanned / n), found: foundTotal, waited, rawPairs, pairs: pairs.a.length, passes, threads, blocks: total, kernel: kernel.kind };
    return {
      pairs,
      chunks: spill
        ? function* () {
            const ranges = spill.chunks();
            for (;;) {
              const started = performance.now();
              const next = ranges.next();
              seconds.pairs += (performance.now() - started) / 1000;
              if (next.done) return;
              stats.pairs += next.value.pairs.a.length;
              yield next.value;
            }
          }
        : once(pairs, n),
      dispose: () => spill?.dispose(),
      annRecall,
      predictedRecall,
      sampleSize: sample.length,
      seconds,
      stats,
      params,
    };
  } catch (err) {
    // A failed run leaves no spilled pairs or offers behind.
    offerFiles?.dispose();
    spill?.dispose();
    throw err;
  }
}
