import { describe, it, expect } from 'vitest';
import { findCandidatesIvf, type IvfResult } from '../src/candidates/index.js';
import { mulberry32 } from '../src/util/random.js';

const D = 32;

function gaussian(rnd: () => number): number {
  let u = 0;
  while (u === 0) u = rnd();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
}

/** Unit vectors in groups around seeded centres (a shared direction makes the space flat, as real embeddings are). */
function clustered(n: number, seed = 3): Float32Array {
  const rnd = mulberry32(seed);
  const v = new Float32Array(n * D);
  const shared = Float32Array.from({ length: D }, () => gaussian(rnd));
  const centre = new Float32Array(D);
  for (let row = 0; row < n; ) {
    for (let j = 0; j < D; j++) centre[j] = 0.7 * shared[j] + gaussian(rnd);
    const size = 1 + Math.floor(rnd() * 12);
    for (let k = 0; k < size && row < n; k++, row++) {
      let s = 0;
      for (let j = 0; j < D; j++) {
        const x = centre[j] + 0.45 * gaussian(rnd);
        v[row * D + j] = x;
        s += x * x;
      }
      for (let j = 0; j < D; j++) v[row * D + j] /= Math.sqrt(s);
    }
  }
  return v;
}

/** Brute force: each row's kept neighbours, its top-k (score desc, row asc) at or above minCosine. */
function exactLists(v: Float32Array, topK: number, minCosine: number): [number, number][][] {
  const n = v.length / D;
  const lists: [number, number][][] = [];
  for (let q = 0; q < n; q++) {
    const found: [number, number][] = [];
    for (let r = 0; r < n; r++) {
      if (r === q) continue;
      let s = 0;
      for (let j = 0; j < D; j++) s += v[q * D + j] * v[r * D + j];
      if (s >= minCosine) found.push([r, s]);
    }
    found.sort((x, y) => y[1] - x[1] || x[0] - y[0]);
    lists.push(found.slice(0, topK));
  }
  return lists;
}

/** The kept neighbours as unordered pairs with their best score. */
function bruteForce(v: Float32Array, topK: number, minCosine: number): Map<string, number> {
  const out = new Map<string, number>();
  exactLists(v, topK, minCosine).forEach((list, q) => {
    for (const [r, s] of list) {
      const key = q < r ? `${q},${r}` : `${r},${q}`;
      out.set(key, Math.max(out.get(key) ?? -1, s));
    }
  });
  return out;
}

function pairMap(r: IvfResult): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < r.pairs.a.length; i++) m.set(`${r.pairs.a[i]},${r.pairs.b[i]}`, r.pairs.cosine[i]);
  return m;
}

/** How many of the brute-force kept neighbours the stored pairs hold (from either row's side). */
function storedShare(got: Map<string, number>, lists: [number, number][][]): { hits: number; wanted: number } {
  let wanted = 0;
  let hits = 0;
  lists.forEach((list, q) => {
    for (const [x] of list) {
      wanted++;
      if (got.has(q < x ? `${q},${x}` : `${x},${q}`)) hits++;
    }
  });
  return { hits, wanted };
}

describe('findCandidatesIvf (inverted file, exact GEMM blocks)', () => {
  const vectors = clustered(1200);

  it('finds exactly the brute-force top-k at or above minCosine when every cell is probed', async () => {
    const r = await findCandidatesIvf(vectors, D, { topK: 8, minCosine: 0.5, cellSize: 100, probes: 1000, annSample: 0 });
    const expected = bruteForce(vectors, 8, 0.5);
    const got = pairMap(r);
    expect(r.stats.cells).toBeGreaterThan(5);
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [k, s] of expected) expect(got.get(k)).toBeCloseTo(s, 4);
    // Sorted by (a, b), a < b, no duplicates.
    for (let i = 1; i < r.pairs.a.length; i++) expect(r.pairs.a[i - 1] < r.pairs.a[i] || (r.pairs.a[i - 1] === r.pairs.a[i] && r.pairs.b[i - 1] < r.pairs.b[i])).toBe(true);
  });

  it('measures its recall against exact search: the share of kept neighbours found, here with a few probes', async () => {
    // One-sided (builds offer scores to both rows, the next test), so the two measures can differ.
    const r = await findCandidatesIvf(vectors, D, { topK: 8, minCosine: 0.5, cellSize: 60, probes: 3, recall: 0, annSample: 1200, bothSides: false });
    // Every row is sampled, so the reported recall is the share of brute-force kept neighbours
    // (each row's own list) that the partition's lists hold.
    const n = vectors.length / D;
    const got = pairMap(r);
    const { hits, wanted } = storedShare(got, exactLists(vectors, 8, 0.5));
    expect(r.sampleSize).toBe(n);
    expect(r.annRecall).toBeLessThan(1);
    expect(r.annRecall).toBeGreaterThan(0.5);
    // A pair found from the other side counts in the test but not in the stage's own measure, so
    // the test's share can only be higher.
    expect(hits / wanted).toBeGreaterThanOrEqual(r.annRecall - 1e-12);
  });

  it('with bothSides, offers each score to both rows, across passes too, so a row holds every kept neighbour either side found', async () => {
    const options = { topK: 8, minCosine: 0.5, cellSize: 60, probes: 3, recall: 0, annSample: 1200, bothSides: true };
    const r = await findCandidatesIvf(vectors, D, options);
    const got = pairMap(r);
    const { hits, wanted } = storedShare(got, exactLists(vectors, 8, 0.5));
    // In one pass a row is offered every score its pairs got, from either side: its own list
    // (the stage's measure) misses no kept neighbour that the stored pairs hold.
    expect(r.stats.passes).toBe(1);
    expect(r.annRecall).toBeCloseTo(hits / wanted, 12);
    // Rows of other passes get theirs too: an offer waits for a later pass's row, and a finished
    // row keeps a late pair that beats its k-th best. In passes of 100 rows nothing is lost, the
    // same pairs come out on a second run, and one-sided recall is lower.
    const split = await findCandidatesIvf(vectors, D, { ...options, passRows: 100 });
    expect(split.stats.passes).toBe(12);
    expect(split.annRecall).toBeGreaterThanOrEqual(r.annRecall - 1e-12);
    const splitPairs = pairMap(split);
    for (const key of got.keys()) expect(splitPairs.has(key)).toBe(true);
    const again = await findCandidatesIvf(vectors, D, { ...options, passRows: 100 });
    expect(Array.from(again.pairs.b)).toEqual(Array.from(split.pairs.b));
    expect(Array.from(again.pairs.cosine)).toEqual(Array.from(split.pairs.cosine));
    const oneSided = await findCandidatesIvf(vectors, D, { ...options, bothSides: false });
    expect(oneSided.annRecall).toBeLessThan(r.annRecall - 0.02);
  });

  it.each([false, true])('gives identical pairs on two runs and with one or two threads (bothSides %s)', async (bothSides) => {
    const options = { topK: 10, minCosine: 0.4, cellSize: 50, probes: 4, annSample: 0, seed: 5, bothSides };
    const a = await findCandidatesIvf(vectors, D, { ...options, threads: 2 });
    const b = await findCandidatesIvf(vectors, D, { ...options, threads: 2 });
    const c = await findCandidatesIvf(vectors, D, { ...options, threads: 1 });
    expect(a.pairs.a.length).toBeGreaterThan(1000);
    for (const other of [b, c]) {
      expect(Array.from(other.pairs.a)).toEqual(Array.from(a.pairs.a));
      expect(Array.from(other.pairs.b)).toEqual(Array.from(a.pairs.b));
      expect(Array.from(other.pairs.cosine)).toEqual(Array.from(a.pairs.cosine));
    }
  });

  it('gives the same pairs with the compiled kernel and offers as with ONNX Runtime and the JS loop, in passes too', async () => {
    for (const passRows of [2_000_000, 150]) {
      const options = { topK: 10, minCosine: 0.4, cellSize: 50, probes: 4, recall: 0, annSample: 300, seed: 7, passRows };
      const compiled = await findCandidatesIvf(vectors, D, options);
      const plain = await findCandidatesIvf(vectors, D, { ...options, kernel: 'onnx' });
      expect(compiled.stats.kernel).toBe('native');
      expect(plain.stats.kernel).toBe('onnx');
      expect(compiled.stats.passes).toBe(passRows === 150 ? 8 : 1);
      expect(compiled.pairs.a.length).toBeGreaterThan(1000);
      expect(Array.from(compiled.pairs.a)).toEqual(Array.from(plain.pairs.a));
      expect(Array.from(compiled.pairs.b)).toEqual(Array.from(plain.pairs.b));
      // ONNX Runtime sums a one-query block by its GEMV, in another order (test/native-kernel.test.ts).
      compiled.pairs.cosine.forEach((c, i) => expect(Math.abs(c - plain.pairs.cosine[i])).toBeLessThan(1e-6));
      expect(compiled.annRecall).toBe(plain.annRecall);
    }
  });

  it('keeps its recall when the partition is local (from localFrom cells: src/candidates/partition.ts)', async () => {
    const options = { topK: 8, minCosine: 0.5, cellSize: 12, probes: 6, recall: 0, annSample: 1200 };
    const flat = await findCandidatesIvf(vectors, D, options);
    const local = await findCandidatesIvf(vectors, D, { ...options, localFrom: 50 });
    expect(flat.stats.cells).toBeGreaterThanOrEqual(100);
    expect(local.annRecall).toBeGreaterThan(flat.annRecall - 0.03);
    expect(local.annRecall).toBeGreaterThan(0.8);
    // And when each row's probes are found among its nearest groups of cells.
    const grouped = await findCandidatesIvf(vectors, D, { ...options, localFrom: 50, groupedFrom: 50 });
    expect(grouped.stats.probeGroups).toBeGreaterThan(0);
    expect(local.stats.probeGroups).toBe(0);
    expect(grouped.annRecall).toBeGreaterThan(local.annRecall - 0.03);
  });

  it('gives the same pairs, range by range, when its raw pairs are spilled to files (in passes too)', async () => {
    const options = { topK: 8, minCosine: 0.5, cellSize: 60, probes: 3, annSample: 300, passRows: 500 };
    const memory = await findCandidatesIvf(vectors, D, options);
    const spilled = await findCandidatesIvf(vectors, D, { ...options, spillRows: 128 });
    expect(spilled.pairs.a.length).toBe(0);
    const a: number[] = [];
    const b: number[] = [];
    const c: number[] = [];
    const ranges: [number, number][] = [];
    for (const chunk of spilled.chunks()) {
      ranges.push([chunk.from, chunk.to]);
      a.push(...chunk.pairs.a);
      b.push(...chunk.pairs.b);
      c.push(...chunk.pairs.cosine);
    }
    spilled.dispose();
    expect(ranges.length).toBe(10);
    expect(a).toEqual(Array.from(memory.pairs.a));
    expect(b).toEqual(Array.from(memory.pairs.b));
    expect(c).toEqual(Array.from(memory.pairs.cosine));
    expect(spilled.stats.pairs).toBe(memory.stats.pairs);
    expect(spilled.annRecall).toBe(memory.annRecall);
    // Offers for later passes waited in files, the same ones as in memory.
    expect(memory.stats.waited).toBeGreaterThan(0);
    expect(spilled.stats.waited).toBe(memory.stats.waited);
  });

  it('raises the probe count until a sample predicts the recall asked for, and scans that many', async () => {
    const options = { topK: 8, minCosine: 0.5, cellSize: 60, probes: 1, annSample: 1200, bothSides: true };
    const r = await findCandidatesIvf(vectors, D, { ...options, recall: 0.95 });
    // Every row is sampled, so the prediction is the measure: a pair is found exactly when one row probes the other's cell.
    expect(r.params.probes).toBeGreaterThan(1);
    expect(r.predictedRecall).toBeGreaterThanOrEqual(0.95);
    expect(r.annRecall).toBeCloseTo(r.predictedRecall, 9);
    // The fewest that reach it: one probe less falls short.
    const fewer = await findCandidatesIvf(vectors, D, { ...options, probes: r.params.probes - 1, recall: 0 });
    expect(fewer.annRecall).toBeLessThan(0.95);
    expect(Number.isNaN(fewer.predictedRecall)).toBe(true);
    // A count already enough is kept: the target only raises it.
    const enough = await findCandidatesIvf(vectors, D, { ...options, probes: r.params.probes + 2, recall: 0.95 });
    expect(enough.params.probes).toBe(r.params.probes + 2);
    // And never past maxProbes.
    const capped = await findCandidatesIvf(vectors, D, { ...options, recall: 1, maxProbes: 2 });
    expect(capped.params.probes).toBe(2);
  });

  it('handles tiny inputs and rejects a matrix that is not rows of the given width', async () => {
    expect((await findCandidatesIvf(new Float32Array(D), D)).pairs.a.length).toBe(0);
    await expect(findCandidatesIvf(new Float32Array(D + 1), D)).rejects.toThrow(RangeError);
  });
});
