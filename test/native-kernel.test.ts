import { describe, it, expect } from 'vitest';
import { Kernel, shared } from '../src/candidates/kernel.js';
import { nativeKernel } from '../src/candidates/native-kernel.js';
import { mulberry32 } from '../src/util/random.js';

/** Unit rows, drawn around a few centres so that blocks hold scores on both sides of a threshold. */
function vectors(n: number, d: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  const centres = Array.from({ length: 8 }, () => Array.from({ length: d }, () => rand() - 0.5));
  const out = shared(new Float32Array(n * d));
  for (let i = 0; i < n; i++) {
    const c = centres[i % centres.length];
    let norm = 0;
    for (let j = 0; j < d; j++) norm += (out[i * d + j] = c[j] + 0.6 * (rand() - 0.5)) ** 2;
    for (let j = 0; j < d; j++) out[i * d + j] /= Math.sqrt(norm);
  }
  return out;
}

function ids(count: number, n: number, rand: () => number): Int32Array {
  return Int32Array.from({ length: count }, () => Math.floor(rand() * n));
}

describe('the compiled block kernel', () => {
  const addon = nativeKernel();

  it('is built by the install (npm ci runs node-gyp on binding.gyp)', () => {
    expect(addon).not.toBeNull();
    expect([0, 1, 2]).toContain(addon!.simd());
  });

  // Shapes around the tile (6 queries x 32 rows, or twice 16): short tiles, one row. (One query is
  // below: ONNX Runtime sums it in another order.)
  const shapes: [number, number, number][] = [
    [128, 301, 77],
    [128, 6, 32],
    [128, 12, 16],
    [128, 7, 1],
    [50, 97, 33],
  ];
  for (const [d, m, n] of shapes) {
    it(`returns ONNX Runtime's pairs and scores, bit for bit, on ${m} queries x ${n} rows of ${d} dimensions`, async () => {
      const data = vectors(500, d, d + m);
      const rand = mulberry32(m * 7 + n);
      const queries = ids(m, 500, rand);
      const rows = ids(n, 500, rand);
      const thresholds = Float32Array.from({ length: m }, () => 0.2 + 0.5 * rand());
      const rowThresholds = Float32Array.from({ length: n }, () => (rand() < 0.2 ? 2 : 0.2 + 0.5 * rand()));
      const onnx = new Kernel(data, d, 2, 'onnx');
      const native = new Kernel(data, d, 2);
      expect(native.kind).toBe('native');
      for (const rowBars of [undefined, rowThresholds]) {
        const want = await onnx.block(queries, rows, thresholds, rowBars);
        const got = await native.block(queries, rows, thresholds, rowBars);
        expect(want.query.length).toBeGreaterThan(0);
        expect(want.query.length).toBeLessThan(m * n);
        expect(Array.from(got.query)).toEqual(Array.from(want.query));
        expect(Array.from(got.row)).toEqual(Array.from(want.row));
        expect(Array.from(got.scores)).toEqual(Array.from(want.scores));
        // Every narrower tile, on one thread, gives the same.
        for (const widest of [0, 1, 2] as const) {
          const narrow = await addon!.block(data, d, queries, rows, thresholds, rowBars, 1, widest);
          expect(Array.from(narrow.scores)).toEqual(Array.from(want.scores));
          expect(Array.from(narrow.row)).toEqual(Array.from(want.row));
          expect(Array.from(narrow.query)).toEqual(Array.from(want.query));
        }
      }
    });
  }

  it("gives a pair the same score whatever block it is in; ONNX Runtime's one-query GEMV differs in the last bits", async () => {
    const d = 128;
    const data = vectors(500, d, 3);
    const rand = mulberry32(5);
    const queries = ids(50, 500, rand);
    const rows = ids(40, 500, rand);
    const low = new Float32Array(50).fill(-2);
    const all = await addon!.block(data, d, queries, rows, low, undefined, 2);
    expect(all.query.length).toBe(50 * 40);
    const alone = await addon!.block(data, d, queries.subarray(7, 8), rows, low.subarray(0, 1), undefined, 1);
    expect(Array.from(alone.scores)).toEqual(Array.from(all.scores.subarray(7 * 40, 8 * 40)));
    const onnx = await new Kernel(data, d, 2, 'onnx').block(queries.subarray(7, 8), rows, low.subarray(0, 1));
    for (let i = 0; i < 40; i++) expect(Math.abs(onnx.scores[i] - alone.scores[i])).toBeLessThan(1e-6);
  });

  it("finds each query's k best candidates as ONNX Runtime's TopK does, ties to the lower index, from rows or query vectors", async () => {
    const d = 128;
    const data = vectors(600, d, 11);
    const rand = mulberry32(13);
    // 70 candidates, some of them repeated (equal scores: the lower index first).
    const candidates = new Float32Array(70 * d);
    for (let c = 0; c < 70; c++) {
      const from = c % 9 === 8 ? c - 1 : Math.floor(rand() * 600);
      candidates.set(c % 9 === 8 ? candidates.subarray(from * d, from * d + d) : data.subarray(from * d, from * d + d), c * d);
    }
    const queries = ids(101, 600, rand);
    const queryVectors = data.slice(0, 13 * d);
    const onnx = new Kernel(data, d, 2, 'onnx');
    const native = new Kernel(data, d, 2);
    for (const k of [1, 32, 70]) {
      const want = await onnx.top(queries, candidates, k);
      const got = await native.top(queries, candidates, k);
      expect(Array.from(got.indices)).toEqual(Array.from(want.indices));
      expect(Array.from(got.scores)).toEqual(Array.from(want.scores));
      const wantVectors = await onnx.top(new Int32Array(0), candidates, k, queryVectors);
      const gotVectors = await native.top(new Int32Array(0), candidates, k, queryVectors);
      expect(gotVectors.indices.length).toBe(13 * k);
      expect(Array.from(gotVectors.indices)).toEqual(Array.from(wantVectors.indices));
      for (const widest of [0, 1] as const) {
        const narrow = await addon!.top(data, d, queries, undefined, candidates, k, 1, widest);
        expect(Array.from(narrow.indices)).toEqual(Array.from(want.indices));
      }
    }
    await expect(async () => addon!.top(data, d, queries, undefined, candidates, 71, 1)).rejects.toThrow(/bad argument/);
  });

  it('refuses a row id outside the vectors, and arrays of the wrong type or length', () => {
    const data = vectors(10, 16, 1);
    const one = Float32Array.of(0.5);
    expect(() => addon!.block(data, 16, Int32Array.of(10), Int32Array.of(0), one, undefined, 1)).toThrow(/bad argument or row id/);
    expect(() => addon!.block(data, 16, Int32Array.of(0), Int32Array.of(-1), one, undefined, 1)).toThrow(/bad argument or row id/);
    expect(() => addon!.block(data, 16, Int32Array.of(0, 1), Int32Array.of(0), one, undefined, 1)).toThrow(/bad argument or row id/);
    expect(() => addon!.block(data, 16, Int32Array.of(0), Int32Array.of(0), Float64Array.of(0.5) as unknown as Float32Array, undefined, 1)).toThrow(/bad argument or row id/);
  });
});
