/**
 * How many cells each row probes: the fewest, from `least`, whose recall predicted on a seeded
 * sample of rows reaches `target`.
 *
 * The scan finds a true neighbour j of row q (q's exact top-k at or above minCosine) when q probes
 * j's own cell or, scanning both sides, j probes q's: so with p probes the pair is found exactly
 * when the lower of the two ranks (q's rank of j's cell, j's of q's, 0 for the nearest) is below
 * p. One exact search for the sample and the cell ranks of the sample and of its neighbours give
 * each pair's need, and the recall of every p at once, without a scan.
 *
 * Why not a fixed count: at 32 probes of 256-row cells, ANN recall on the bench:e2e lists was
 * 0.964 at 928k rows (5.2k cells) and 0.940 at 4.4M rows (25.7k cells), the same 0.940 with
 * twice as many groups of cells searched for the probes, so not the grouped probe pass; 44 probes
 * gave 0.953 there. The cells a row's neighbours fall in spread as the cells shrink around a
 * denser list. The sample is not the one recall is reported on (ivf.ts), so the report stays
 * a measurement: at 928k rows 32 were kept (predicted 0.963, measured 0.964), at 4.4M 48 were
 * chosen for 0.955 (measured 0.956; with seed 42, 43 for 0.955 measured 0.949 and 50 for 0.960
 * measured 0.955: two samples of 1,000 rows differ by that much). The choice took 2.8 s at 928k rows (probe pass 8.0 ->
 * 10.8 s, the same pairs).
 */
import { exactNeighbours } from './exact.js';
import type { Kernel } from './kernel.js';
import { nearestOfAll, sampleOrder } from './partition.js';

export interface ProbeCountOptions {
  /** The fewest probes (the count when the sample already reaches the target). */
  least: number;
  /** The most probes. */
  most: number;
  /** Predicted recall to reach. */
  target: number;
  topK: number;
  minCosine: number;
  bothSides: boolean;
  /** Rows sampled (seeded by `seed`). */
  sample: number;
  seed: number;
}

export interface ProbeCount {
  probes: number;
  /** The sample's recall at `probes` (NaN when the sample has no neighbours). */
  predicted: number;
  /** The sample's neighbour pairs the prediction counted. */
  pairs: number;
  seconds: number;
}

export async function chooseProbes(kernel: Kernel, n: number, centroids: Float32Array, o: ProbeCountOptions): Promise<ProbeCount> {
  const started = performance.now();
  const cells = centroids.length / kernel.d;
  const least = Math.min(cells, o.least);
  const most = Math.max(least, Math.min(cells, o.most));
  const sample = sampleOrder(n, o.sample, o.seed).sort();
  const exact = await exactNeighbours(kernel, n, sample, o.topK, o.minCosine);
  // The distinct neighbours, and every row's `most` nearest cells (its own first).
  const seen = new Uint8Array(n);
  const others: number[] = [];
  for (let q = 0; q < sample.length; q++)
    for (let j = q * o.topK, end = j + exact.n[q]; j < end; j++)
      if (!seen[exact.r[j]]) {
        seen[exact.r[j]] = 1;
        others.push(exact.r[j]);
      }
  const tally = { scored: 0 };
  const sampleCells = await nearestOfAll(kernel, sample, centroids, most, tally);
  const otherRows = Int32Array.from(others).sort();
  const otherCells = await nearestOfAll(kernel, otherRows, centroids, most, tally);
  const otherAt = new Map<number, number>();
  otherRows.forEach((row, i) => otherAt.set(row, i));
  /** The rank of cell c among the `most` nearest cells listed at `from`, or `most` when not among them. */
  const rankIn = (list: Int32Array, from: number, c: number): number => {
    for (let k = 0; k < most; k++) if (list[from + k] === c) return k;
    return most;
  };
  // needs[p]: pairs first found with p + 1 probes; the last slot counts pairs `most` do not find.
  const needs = new Float64Array(most + 1);
  let pairs = 0;
  for (let q = 0; q < sample.length; q++) {
    const ownCell = sampleCells[q * most];
    for (let j = q * o.topK, end = j + exact.n[q]; j < end; j++) {
      const at = otherAt.get(exact.r[j])!;
      let need = rankIn(sampleCells, q * most, otherCells[at * most]);
      if (o.bothSides) need = Math.min(need, rankIn(otherCells, at * most, ownCell));
      needs[need]++;
      pairs++;
    }
  }
  let probes = most;
  let found = 0;
  for (let p = 1; p <= most; p++) {
    found += needs[p - 1];
    if (p >= least && found >= o.target * pairs) {
      probes = p;
      break;
    }
  }
  let predicted = 0;
  for (let k = 0; k < probes; k++) predicted += needs[k];
  return { probes, predicted: pairs > 0 ? predicted / pairs : NaN, pairs, seconds: (performance.now() - started) / 1000 };
}
