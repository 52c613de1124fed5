/**
 * The inverted file's cells: spherical k-means centroids on a seeded sample, large cells split, and
 * each row's `probes` nearest cells (its own first), exactly. ivf.ts scans the cells these name.
 *
 * Each k-means round scores sample x cells pairs and each probe pass n x cells, so this part grows
 * with n^2 / cellSize: on the 1M-line bench:e2e list (928k rows, 5k cells) the k-means, the probe
 * pass before the split and the one after it took 43 s of the stage's 161, and at 2.7M rows 257 s
 * of 794. From `localFrom` cells two of those three are cut down:
 * - a k-means round after the first scores a sample row only against the NEAR_FACTOR x probes
 *   cells nearest its last cell (Lloyd's rounds move few rows, and only to nearby cells);
 * - large cells are found and split on the sample's last round (`sampleFactor` rows a cell) rather
 *   than on every row's own cell, so every row is scored against every centroid once.
 * At 928k rows: 42.7 -> 23.3 s, recall 0.9608 -> 0.9604, 7.5k -> 7.6k rows scanned a query (the
 * sample's counts are estimates, so its cells split from SAMPLE_SPLIT_FACTOR x the mean size:
 * from 2x, 8.1k rows; assigning the sample once more to the final centroids did not help). At
 * 2.7M rows (15k cells): 245.4 -> 132.3 s, recall 0.9499 -> 0.9505, but 7.6k -> 8.2k rows scanned
 * a query and 15% more scores returned, which the scan pays back in part (its time was not measured
 * cleanly: that run shared the machine). The probes themselves stay exact: chosen among the 128 or 512 cells nearest
 * a row's own (or its coarse group's), only 0.75 / 0.89 of a row's 32 nearest cells were found
 * (with 128, recall fell to 0.79), because this space is flat (a phrase sits between its words'
 * regions). So the one full probe pass, GEMM-bound at 70-90 GFLOP/s here, grows with n^2 below
 * `groupedFrom` cells (~4.2M rows). Below `localFrom` cells (~524k rows) the k-means is global.
 *
 * From `groupedFrom` cells the probe pass is cut down too. The cells are grouped by a k-means of
 * their centroids into 2 sqrt(cells) groups; each row scores every group's centre, then the cells
 * of its 2 x probes nearest groups (not those of one group, which lost rows' nearest cells above),
 * and keeps its `probes` best of those, exactly scored: about n x (2 + probes) x sqrt(cells)
 * scores instead of n x cells. Measured on the 928k rows of the 1M-line bench:e2e
 * list's vectors with smaller cells standing in for more rows (same run, 2 cores):
 * - 10.5k cells: probe pass 12.3 s exact, 12.5 s grouped (0.976 of the exact probes found);
 * - 21.8k cells: 20.7 -> 13.7 s (0.970; a row's own cell 0.997); through the whole scan (minCosine
 *   0.60), ANN recall 0.9405 -> 0.9399 and 24.3 -> 15.2 s, in another run;
 * - 87.2k cells (about what a 15M-line list makes once large cells are split: the 5M-line list's
 *   4.4M rows made 25.8k): 119.9 -> 23.5 s (0.957; own cell 0.996).
 * The k-means' first round assigns the sample the same way (its later rounds are local already):
 * at 87.2k cells the partition took 114.9 s instead of 151.5 s and its probes 19.1 s instead of
 * 110.4 s, in one run, with rows as close to their own cell (mean cosine 0.8479 against 0.8491).
 * At 5.2k cells, forced on: 8.0 s exact, 12.4 s grouped (groups of ~36 cells fill few 32-row
 * panels), ANN recall 0.9638 -> 0.9631. Grouped scores come in no index order, so the kernel
 * scores each row's 2 nearest groups first: that filled the lists before the rest came and cut
 * 21.8k cells' pass from 17.1 to 13.7 s.
 */
import { groupBy } from '../util/group-by.js';
import { mulberry32 } from '../util/random.js';
import { shared, type Kernel } from './kernel.js';

export const QUERY_CHUNK = 16_384;
/** Cells over this many times the mean size are split (see splitLargeCells). */
const MAX_CELL_FACTOR = 2;
/** A local k-means round scores a row against this many times `probes` cells nearest its last. */
const NEAR_FACTOR = 4;
/** With `localFrom`, cells whose sample holds this many times a cell's share are split. */
const SAMPLE_SPLIT_FACTOR = 1.5;

export interface PartitionOptions {
  cellSize: number;
  probes: number;
  sampleFactor: number;
  iterations: number;
  seed: number;
  /** From this many cells, the k-means rounds after the first are local and cells split on the sample (see the header). */
  localFrom: number;
  /** From this many cells, each row's probes (and the k-means' first round) are found among its nearest groups of cells (see the header). */
  groupedFrom: number;
}

export interface Partition {
  cells: number;
  /** Cell centroids, cells x d (unit rows). */
  centroids: Float32Array;
  /** Cells a row probes. */
  probes: number;
  /** Each row's probes (row-major n x probes), its own cell first. */
  probeList: Int32Array;
  /** Whether the k-means was local and cells split on the sample (from `localFrom` cells). */
  local: boolean;
  /** Groups of cells the probes were found among (0: every row against every cell). */
  groups: number;
  /** Inner products scored (row or sample row x centroid). */
  scored: number;
  seconds: { partition: number; probe: number };
}

/** `size` distinct rows of 0..n-1 in a seeded random order (partial Fisher-Yates over a permutation). */
export function sampleOrder(n: number, size: number, seed: number): Int32Array {
  const rnd = mulberry32(seed);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const m = Math.min(n, size);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rnd() * (n - i));
    const x = perm[i];
    perm[i] = perm[j];
    perm[j] = x;
  }
  return perm.slice(0, m);
}

/** Inner products scored so far (reported, and tested: the local k-means must score fewer). */
interface Tally {
  scored: number;
}

const range = (from: number, to: number): Int32Array => Int32Array.from({ length: to - from }, (_, i) => from + i);

/** Each query's `k` nearest of all `candidates` (queries.length x k), in chunks, two in flight. */
export async function nearestOfAll(kernel: Kernel, queries: Int32Array | Float32Array, candidates: Float32Array, k: number, tally: Tally): Promise<Int32Array> {
  const { d } = kernel;
  const count = queries instanceof Float32Array ? queries.length / d : queries.length;
  tally.scored += (count * candidates.length) / d;
  const out = new Int32Array(count * k);
  await inChunks(count, QUERY_CHUNK, async (start, end) => {
    const job = queries instanceof Float32Array ? kernel.top(new Int32Array(0), candidates, k, queries.subarray(start * d, end * d)) : kernel.top(queries.subarray(start, end), candidates, k);
    out.set((await job).indices, start * k);
  });
  return out;
}

/** `work` on 0 .. count - 1 in chunks of `size`, two in flight (the kernel's threads stay busy while one chunk's results are placed). */
async function inChunks(count: number, size: number, work: (start: number, end: number) => Promise<void>): Promise<void> {
  const inFlight: Promise<void>[] = [];
  for (let start = 0; start < count; start += size) {
    inFlight.push(work(start, Math.min(count, start + size)));
    if (inFlight.length >= 2) await inFlight.shift();
  }
  await Promise.all(inFlight);
}

/** Unit rows of the sums of `points` by part (a part with no points keeps `into`'s row). */
function normalisedSums(points: (i: number) => number, count: number, source: Float32Array, parts: Int32Array, into: Float32Array, d: number): void {
  const k = into.length / d;
  const sums = new Float64Array(k * d);
  const counts = new Int32Array(k);
  for (let i = 0; i < count; i++) {
    const c = parts[i];
    counts[c]++;
    const o = points(i) * d;
    for (let j = 0; j < d; j++) sums[c * d + j] += source[o + j];
  }
  for (let c = 0; c < k; c++) {
    if (counts[c] === 0) continue; // an empty cell keeps its centroid
    let norm = 0;
    for (let j = 0; j < d; j++) norm += sums[c * d + j] * sums[c * d + j];
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < d; j++) into[c * d + j] = sums[c * d + j] * inv;
  }
}

/**
 * Each of `rows`' `k` nearest centroids among its group's `m` candidates (`near`, groups x m):
 * rows.length x k, best first. Groups are batched into tasks of about QUERY_CHUNK rows.
 */
async function nearestAmong(kernel: Kernel, rows: Int32Array, groupOf: Int32Array, groups: number, centroids: Float32Array, near: Int32Array, m: number, k: number, tally: Tally): Promise<Int32Array> {
  tally.scored += rows.length * m;
  const byGroup = groupBy(groupOf, 1, 0, rows.length, groups);
  const sharedCentroids = shared(centroids);
  const out = new Int32Array(rows.length * k);
  const inFlight: Promise<void>[] = [];
  for (let g0 = 0; g0 < groups; ) {
    let g1 = g0 + 1;
    while (g1 < groups && byGroup.offsets[g1] - byGroup.offsets[g0] < QUERY_CHUNK) g1++;
    const positions = byGroup.items.subarray(byGroup.offsets[g0], byGroup.offsets[g1]);
    const queries = Int32Array.from(positions, (i) => rows[i]);
    const offsets = Int32Array.from(byGroup.offsets.subarray(g0, g1 + 1), (o) => o - byGroup.offsets[g0]);
    const job = kernel.among(queries, offsets, sharedCentroids, near.subarray(g0 * m, g1 * m), m, k);
    inFlight.push(
      job.then((found) => {
        for (let i = 0; i < positions.length; i++) out.set(found.subarray(i * k, i * k + k), positions[i] * k);
      }),
    );
    if (inFlight.length >= 2) await inFlight.shift();
    g0 = g1;
  }
  await Promise.all(inFlight);
  return out;
}

/** Groups of cells a row is scored against: GROUPS_FACTOR x sqrt(cells) groups. */
const GROUPS_FACTOR = 2;
/** A row's probes are found in its GROUP_PROBES_FACTOR x probes nearest groups. */
const GROUP_PROBES_FACTOR = 2;
/** Rows a grouped probe call takes (its lists: rows x groups a row x 4 bytes). */
const GROUPED_CHUNK = 65_536;

/**
 * The cells grouped by a spherical k-means of their centroids (seeds evenly spaced, `iterations`
 * rounds, then each cell in its final group's list, ascending).
 */
async function cellGroups(kernel: Kernel, centroids: Float32Array, groups: number, iterations: number, tally: Tally): Promise<{ centres: Float32Array; offsets: Int32Array; members: Int32Array }> {
  const { d } = kernel;
  const cells = centroids.length / d;
  const centres = new Float32Array(groups * d);
  for (let j = 0; j < groups; j++) {
    const c = Math.floor((j * cells) / groups);
    centres.set(centroids.subarray(c * d, c * d + d), j * d);
  }
  const none = new Int32Array(0);
  for (let it = 0; it <= iterations; it++) {
    tally.scored += cells * groups;
    const { indices } = await kernel.top(none, centres.slice(), 1, centroids);
    if (it === iterations) {
      const { offsets, items } = groupBy(indices, 1, 0, cells, groups);
      return { centres, offsets, members: items };
    }
    normalisedSums((i) => i, cells, centroids, indices, centres, d);
  }
  throw new Error('unreachable');
}

/**
 * Each of `rows`' `k` nearest cells among the cells of its `probes` x GROUP_PROBES_FACTOR nearest
 * groups (see the header): rows in chunks, two in flight. Exact where a row's nearest cells lie in
 * those groups; a row whose groups hold fewer than `k` cells is scored against every cell.
 */
async function groupedNearest(kernel: Kernel, rows: Int32Array, centroids: Float32Array, k: number, probes: number, iterations: number, tally: Tally): Promise<{ nearest: Int32Array; groups: number }> {
  const { d } = kernel;
  const cells = centroids.length / d;
  const groups = Math.min(cells, Math.round(GROUPS_FACTOR * Math.sqrt(cells)));
  const perRow = Math.min(groups, GROUP_PROBES_FACTOR * probes);
  const g = await cellGroups(kernel, centroids, groups, iterations, tally);
  const sharedCentroids = shared(centroids);
  const out = new Int32Array(rows.length * k);
  const chunk = async (start: number, end: number): Promise<void> => {
    const part = rows.subarray(start, end);
    tally.scored += part.length * groups;
    const { indices: rowGroups } = await kernel.top(part, g.centres, perRow);
    for (const group of rowGroups) tally.scored += g.offsets[group + 1] - g.offsets[group];
    const { indices } = await kernel.groupedTop(part, sharedCentroids, g.offsets, g.members, rowGroups, perRow, k);
    out.set(indices, start * k);
    const short = Int32Array.from(part.keys()).filter((i) => indices[i * k + k - 1] < 0);
    if (short.length > 0) {
      const all = await nearestOfAll(kernel, Int32Array.from(short, (i) => part[i]), centroids, k, tally);
      short.forEach((i, at) => out.set(all.subarray(at * k, at * k + k), (start + i) * k));
    }
  };
  await inChunks(rows.length, GROUPED_CHUNK, chunk);
  return { nearest: out, groups };
}

/** Each centroid's (or anchor's) `m` nearest centroids, best first (anchors x m). */
function nearCells(kernel: Kernel, anchors: Float32Array, centroids: Float32Array, m: number, tally: Tally): Promise<Int32Array> {
  return nearestOfAll(kernel, anchors, centroids, m, tally);
}

/**
 * Spherical k-means centroids (cells x d, unit rows) on a seeded sample: `sampleFactor` rows a
 * cell, seeded from the sample, `iterations` rounds; with `local`, a round after the first scores
 * a row against the cells nearest its last one only.
 */
async function kmeans(kernel: Kernel, n: number, cells: number, o: PartitionOptions, local: boolean, tally: Tally): Promise<{ centroids: Float32Array; rows: Int32Array; assigned: Int32Array }> {
  const { vectors, d } = kernel;
  const sample = sampleOrder(n, cells * o.sampleFactor, o.seed);
  const centroids = new Float32Array(cells * d);
  for (let c = 0; c < cells; c++) centroids.set(vectors.subarray(sample[c] * d, sample[c] * d + d), c * d);
  // Sums in ascending row order, whatever the sample's order: the same float sums every run.
  const rows = sample.slice().sort();
  let assigned: Int32Array = new Int32Array(0);
  const m = Math.min(cells, NEAR_FACTOR * o.probes);
  for (let it = 0; it < o.iterations; it++) {
    const snapshot = centroids.slice();
    if (it === 0 && cells >= o.groupedFrom) assigned = (await groupedNearest(kernel, rows, snapshot, 1, o.probes, o.iterations, tally)).nearest;
    else if (!local || it === 0) assigned = await nearestOfAll(kernel, rows, snapshot, 1, tally);
    else assigned = await nearestAmong(kernel, rows, assigned, cells, snapshot, await nearCells(kernel, snapshot, snapshot, m, tally), m, 1, tally);
    normalisedSums((i) => rows[i], rows.length, vectors, assigned, centroids, d);
  }
  return { centroids, rows, assigned };
}

/**
 * Splits every cell holding more than `maxSize` rows by a k-means of its own rows (seeded, rows in
 * ascending order), so that no cell is scanned far more often than the rest: k-means on a flat
 * distribution leaves a few giant cells (6,365 rows against a mean of 256 at 191k rows), and rows
 * probe the big cells most. Returns the new centroids (the old ones first; a split cell keeps its
 * id for its first part).
 */
async function splitLargeCells(kernel: Kernel, centroids: Float32Array, own: { offsets: Int32Array; items: Int32Array }, cellSize: number, maxSize: number, iterations: number, tally: Tally): Promise<Float32Array> {
  const { vectors, d } = kernel;
  const cells = centroids.length / d;
  const added: Float32Array[] = [];
  for (let c = 0; c < cells; c++) {
    const rows = own.items.subarray(own.offsets[c], own.offsets[c + 1]);
    if (rows.length <= maxSize) continue;
    const parts = Math.ceil(rows.length / cellSize);
    // Seeds: evenly spaced rows of the cell (rows ascend: no randomness needed, and none is reused).
    const local = new Float32Array(parts * d);
    for (let j = 0; j < parts; j++) {
      const r = rows[Math.floor((j * rows.length) / parts)];
      local.set(vectors.subarray(r * d, r * d + d), j * d);
    }
    for (let it = 0; it < iterations; it++) {
      tally.scored += rows.length * parts;
      const { indices } = await kernel.top(rows, local.slice(), 1);
      normalisedSums((i) => rows[i], rows.length, vectors, indices, local, d);
    }
    centroids.set(local.subarray(0, d), c * d);
    added.push(local.slice(d));
  }
  if (added.length === 0) return centroids;
  const size = added.reduce((x, a) => x + a.length, centroids.length);
  const out = new Float32Array(size);
  out.set(centroids);
  let at = centroids.length;
  for (const a of added) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/**
 * The cells of `n` rows and each row's probes (see the header). `chooseProbes`, given the final
 * centroids, decides how many cells a row probes (`o.probes` when absent; `o.probes` also sizes
 * the local k-means' neighbourhoods, whatever is chosen).
 */
export async function partitionCells(kernel: Kernel, n: number, o: PartitionOptions, chooseProbes?: (centroids: Float32Array) => Promise<number>): Promise<Partition> {
  const { d } = kernel;
  let cells = Math.max(1, Math.round(n / o.cellSize));
  const local = cells >= o.localFrom;
  const least = Math.min(cells, o.probes);
  const seconds = { partition: 0, probe: 0 };
  const tally: Tally = { scored: 0 };
  let t = performance.now();
  const { centroids, rows: sample, assigned } = await kmeans(kernel, n, cells, o, local, tally);
  const rows = range(0, n);
  let probeList: Int32Array | null = null;
  let split: Float32Array;
  if (local) {
    // Large cells are found and split on the sample's last round (sampleFactor rows a cell), so
    // that every row is scored against every centroid once, not before and after the split.
    const scale = sample.length / n;
    const bySample = groupBy(assigned, 1, 0, sample.length, cells);
    const own = { offsets: bySample.offsets, items: Int32Array.from(bySample.items, (i) => sample[i]) };
    split = await splitLargeCells(kernel, centroids, own, o.cellSize * scale, SAMPLE_SPLIT_FACTOR * o.cellSize * scale, o.iterations, tally);
  } else {
    probeList = await nearestOfAll(kernel, rows, centroids, least, tally);
    split = await splitLargeCells(kernel, centroids, groupBy(probeList, least, 0, n, cells), o.cellSize, MAX_CELL_FACTOR * o.cellSize, o.iterations, tally);
  }
  seconds.partition = (performance.now() - t) / 1000;
  t = performance.now();
  cells = split.length / d;
  const probes = chooseProbes ? await chooseProbes(split) : least;
  let groups = 0;
  if (cells >= o.groupedFrom) ({ nearest: probeList, groups } = await groupedNearest(kernel, rows, split, probes, probes, o.iterations, tally));
  else if (probeList === null || split !== centroids || probes !== least) probeList = await nearestOfAll(kernel, rows, split, probes, tally);
  seconds.probe = (performance.now() - t) / 1000;
  return { cells, centroids: split, probes, probeList, local, groups, scored: tally.scored, seconds };
}
