import { describe, it, expect } from 'vitest';
import { Kernel, shared } from '../src/candidates/kernel.js';
import { partitionCells, type PartitionOptions } from '../src/candidates/partition.js';
import { mulberry32 } from '../src/util/random.js';

const D = 32;

/** Unit vectors scattered around many seeded centres with a shared direction (a flat space, as embeddings are). */
function scattered(n: number, seed: number): Float32Array {
  const rnd = mulberry32(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const common = Float32Array.from({ length: D }, normal);
  const v = new Float32Array(n * D);
  const centre = new Float32Array(D);
  for (let row = 0; row < n; row++) {
    if (row % 7 === 0) for (let j = 0; j < D; j++) centre[j] = 0.6 * common[j] + normal();
    let s = 0;
    for (let j = 0; j < D; j++) s += (v[row * D + j] = centre[j] + 0.6 * normal()) ** 2;
    for (let j = 0; j < D; j++) v[row * D + j] /= Math.sqrt(s);
  }
  return v;
}

/** Each row's `k` nearest centroids by brute force, best first (ties: lower id). */
function exactProbes(v: Float32Array, centroids: Float32Array, k: number): Int32Array {
  const n = v.length / D;
  const cells = centroids.length / D;
  const out = new Int32Array(n * k);
  for (let r = 0; r < n; r++) {
    const scores = Array.from({ length: cells }, (_, c) => {
      let s = 0;
      for (let j = 0; j < D; j++) s += v[r * D + j] * centroids[c * D + j];
      return [c, s] as const;
    });
    scores.sort((x, y) => y[1] - x[1] || x[0] - y[0]);
    for (let j = 0; j < k; j++) out[r * k + j] = scores[j][0];
  }
  return out;
}

describe('partitionCells', () => {
  const n = 3000;
  const vectors = scattered(n, 11);
  const base: PartitionOptions = { cellSize: 10, probes: 4, sampleFactor: 8, iterations: 4, seed: 3, localFrom: 1e9 };

  it('finds every row its exact nearest cells, and from localFrom cells a k-means as tight with fewer scores', async () => {
    const kernel = new Kernel(shared(vectors), D, 2);
    const flat = await partitionCells(kernel, n, base);
    const local = await partitionCells(kernel, n, { ...base, localFrom: 100 });
    expect(flat.local).toBe(false);
    expect(local.local).toBe(true);
    const tightness: number[] = [];
    for (const part of [flat, local]) {
      expect(part.cells).toBeGreaterThanOrEqual(300);
      // The probes are exact either way: each row's 4 nearest of the final centroids, its own first.
      const exact = exactProbes(vectors, part.centroids, base.probes);
      let same = 0;
      for (let r = 0; r < n; r++) {
        const want = new Set(exact.subarray(r * 4, r * 4 + 4));
        for (let j = 0; j < 4; j++) if (want.has(part.probeList[r * 4 + j])) same++;
      }
      expect(same / (n * 4)).toBeGreaterThan(0.999);
      // How close rows sit to their own cell's centroid.
      let sum = 0;
      for (let r = 0; r < n; r++) {
        const c = part.probeList[r * 4];
        for (let j = 0; j < D; j++) sum += vectors[r * D + j] * part.centroids[c * D + j];
      }
      tightness.push(sum / n);
      const sizes = new Int32Array(part.cells);
      for (let r = 0; r < n; r++) sizes[part.probeList[r * 4]]++;
      expect(Math.max(...sizes)).toBeLessThan(6 * base.cellSize);
    }
    expect(tightness[1]).toBeGreaterThan(tightness[0] - 0.01);
    expect(local.scored).toBeLessThan(0.55 * flat.scored);
  });

  it('gives the same cells and probes on two runs, with one or two threads', async () => {
    const options = { ...base, localFrom: 100 };
    const a = await partitionCells(new Kernel(shared(vectors), D, 2), n, options);
    const b = await partitionCells(new Kernel(shared(vectors), D, 1), n, options);
    expect(Array.from(b.centroids)).toEqual(Array.from(a.centroids));
    expect(Array.from(b.probeList)).toEqual(Array.from(a.probeList));
  });
});
