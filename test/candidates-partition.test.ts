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
  const base: PartitionOptions = { cellSize: 10, probes: 4, sampleFactor: 8, iterations: 4, seed: 3, localFrom: 1e9, groupedFrom: 1e9 };

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

  it('from groupedFrom cells finds nearly every row its exact nearest cells among its nearest groups, with fewer scores', async () => {
    const kernel = new Kernel(shared(vectors), D, 2);
    const local = await partitionCells(kernel, n, { ...base, localFrom: 100 });
    const grouped = await partitionCells(kernel, n, { ...base, localFrom: 100, groupedFrom: 100 });
    expect(local.groups).toBe(0);
    expect(grouped.groups).toBe(Math.round(2 * Math.sqrt(grouped.cells)));
    // Its k-means' first round assigns the sample the same way, so the cells differ a little.
    expect(Math.abs(grouped.cells - local.cells)).toBeLessThan(0.05 * local.cells);
    const exact = exactProbes(vectors, grouped.centroids, base.probes);
    let same = 0;
    let own = 0;
    for (let r = 0; r < n; r++) {
      const want = new Set(exact.subarray(r * 4, r * 4 + 4));
      for (let j = 0; j < 4; j++) if (want.has(grouped.probeList[r * 4 + j])) same++;
      if (grouped.probeList[r * 4] === exact[r * 4]) own++;
      // Four distinct cells, every row.
      expect(new Set(grouped.probeList.subarray(r * 4, r * 4 + 4)).size).toBe(4);
    }
    // On this small, flat space (~300 cells in 35 groups, 8 a row): 0.86 of the exact probes.
    expect(same / (n * 4)).toBeGreaterThan(0.8);
    expect(same / (n * 4)).toBeLessThan(1);
    expect(own / n).toBeGreaterThan(0.95);
    expect(grouped.scored).toBeLessThan(local.scored);
    // Rows sit as close to their own cell's centroid.
    const tightness = (part: typeof local): number => {
      let sum = 0;
      for (let r = 0; r < n; r++) for (let j = 0; j < D; j++) sum += vectors[r * D + j] * part.centroids[part.probeList[r * 4] * D + j];
      return sum / n;
    };
    expect(tightness(grouped)).toBeGreaterThan(tightness(local) - 0.01);
    // The compiled grouped top and the JS merge of ONNX Runtime's per-group tops agree, on one or two threads.
    const plain = await partitionCells(new Kernel(shared(vectors), D, 1, 'onnx'), n, { ...base, localFrom: 100, groupedFrom: 100 });
    const single = await partitionCells(new Kernel(shared(vectors), D, 1), n, { ...base, localFrom: 100, groupedFrom: 100 });
    expect(Array.from(plain.probeList)).toEqual(Array.from(grouped.probeList));
    expect(Array.from(single.probeList)).toEqual(Array.from(grouped.probeList));
  });

  it('gives the same cells and probes on two runs, with one or two threads', async () => {
    const options = { ...base, localFrom: 100 };
    const a = await partitionCells(new Kernel(shared(vectors), D, 2), n, options);
    const b = await partitionCells(new Kernel(shared(vectors), D, 1), n, options);
    expect(Array.from(b.centroids)).toEqual(Array.from(a.centroids));
    expect(Array.from(b.probeList)).toEqual(Array.from(a.probeList));
  });
});
