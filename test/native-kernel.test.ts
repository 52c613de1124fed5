import { describe, it, expect } from 'vitest';
import { Kernel, shared } from '../src/candidates/kernel.js';
import { nativeKernel, type ScanOffer } from '../src/candidates/native-kernel.js';
import { TopLists } from '../src/candidates/top-lists.js';
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

/** `perQuery` distinct groups of `groups` for each of `count` queries, seeded. */
function pickGroups(count: number, perQuery: number, groups: number, rand: () => number): Int32Array {
  const out = new Int32Array(count * perQuery);
  for (let q = 0; q < count; q++) {
    const picked = new Set<number>();
    while (picked.size < perQuery) picked.add(Math.floor(rand() * groups));
    out.set([...picked], q * perQuery);
  }
  return out;
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

  it("finds each query's k best among the candidates of its groups, as a brute force over them does, and -1s where they hold fewer than k", async () => {
    const d = 128;
    const data = vectors(600, d, 21);
    const rand = mulberry32(23);
    const candidates = new Float32Array(70 * d);
    for (let c = 0; c < 70; c++) {
      const from = c % 9 === 8 ? c - 1 : Math.floor(rand() * 600);
      candidates.set(c % 9 === 8 ? candidates.subarray(from * d, from * d + d) : data.subarray(from * d, from * d + d), c * d);
    }
    // 9 groups of uneven sizes (one empty, one of one), members in a seeded order.
    const members = Int32Array.from({ length: 70 }, (_, i) => i);
    for (let i = 69; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [members[i], members[j]] = [members[j], members[i]];
    }
    const groupOffsets = Int32Array.of(0, 20, 20, 21, 30, 45, 50, 58, 64, 70);
    const perQuery = 3;
    const queries = ids(101, 600, rand);
    const queryGroups = pickGroups(101, perQuery, 9, rand);
    // Every score from the ONNX top over all 70 (the same sums: see above).
    const all = await new Kernel(data, d, 2, 'onnx').top(queries, candidates, 70);
    for (const k of [1, 5, 20]) {
      const wantIndices: number[] = [];
      const wantScores: number[] = [];
      for (let q = 0; q < 101; q++) {
        const allowed = new Set<number>();
        for (let j = 0; j < perQuery; j++) {
          const g = queryGroups[q * perQuery + j];
          for (let at = groupOffsets[g]; at < groupOffsets[g + 1]; at++) allowed.add(members[at]);
        }
        const kept: [number, number][] = [];
        for (let j = 0; j < 70; j++) if (allowed.has(all.indices[q * 70 + j])) kept.push([all.indices[q * 70 + j], all.scores[q * 70 + j]]);
        for (let j = 0; j < k; j++) {
          wantIndices.push(j < kept.length ? kept[j][0] : -1);
          wantScores.push(j < kept.length ? kept[j][1] : -Infinity);
        }
      }
      if (k === 20) expect(wantIndices).toContain(-1);
      for (const threads of [1, 2]) {
        for (const widest of [0, 1, 2] as const) {
          const got = await addon!.groupedTop(data, d, queries, candidates, groupOffsets, members, queryGroups, perQuery, k, threads, widest);
          expect(Array.from(got.indices)).toEqual(wantIndices);
          expect(Array.from(got.scores)).toEqual(wantScores);
        }
      }
      // The JS merge of per-group tops, where the addon was not built: the same.
      const merged = await new Kernel(data, d, 2, 'onnx').groupedTop(queries, candidates, groupOffsets, members, queryGroups, perQuery, k);
      expect(Array.from(merged.indices)).toEqual(wantIndices);
      expect(Array.from(merged.scores)).toEqual(wantScores);
    }
    // More queries than a thread takes through the groups at once (block.cc's GROUPED_SPAN, 2,048):
    // the same lists as calls of fewer.
    const many = ids(5000, 600, rand);
    const manyGroups = pickGroups(5000, perQuery, 9, rand);
    const whole = await addon!.groupedTop(data, d, many, candidates, groupOffsets, members, manyGroups, perQuery, 5, 1);
    for (let from = 0; from < 5000; from += 1000) {
      const piece = await addon!.groupedTop(data, d, many.slice(from, from + 1000), candidates, groupOffsets, members, manyGroups.slice(from * perQuery, (from + 1000) * perQuery), perQuery, 5, 1);
      expect(Array.from(whole.indices.subarray(from * 5, (from + 1000) * 5))).toEqual(Array.from(piece.indices));
      expect(Array.from(whole.scores.subarray(from * 5, (from + 1000) * 5))).toEqual(Array.from(piece.scores));
    }
    const call = (o: Int32Array, m: Int32Array, g: Int32Array): unknown => addon!.groupedTop(data, d, queries, candidates, o, m, g, perQuery, 5, 1);
    const repeated = queryGroups.slice();
    repeated[1] = repeated[0];
    expect(() => call(groupOffsets, members, repeated)).toThrow(/bad argument or id/);
    const outside = queryGroups.slice();
    outside[4] = 9;
    expect(() => call(groupOffsets, members, outside)).toThrow(/bad argument or id/);
    expect(() => call(groupOffsets, Int32Array.from(members, (m) => (m === 3 ? 70 : m)), queryGroups)).toThrow(/bad argument or id/);
    expect(() => call(Int32Array.of(0, 20, 19, 21, 30, 45, 50, 58, 64, 70), members, queryGroups)).toThrow(/bad argument or id/);
    expect(() => call(Int32Array.of(0, 20, 20, 21, 30, 45, 50, 58, 64, 69), members, queryGroups)).toThrow(/bad argument or id/);
  });

  /** A pass (rows lo .. hi - 1 of n) with both sides and across, its lists and each row's two cells. */
  function scanPass(n: number, lo: number, hi: number, k: number, rand: () => number): { lists: TopLists; offer: ScanOffer } {
    const lists = new TopLists(hi - lo, k);
    const probeList = Int32Array.from({ length: n * 2 }, () => Math.floor(rand() * 6));
    return { lists, offer: { scores: lists.s, rows: lists.r, lengths: lists.n, k, lo, hi, floor: 0.25, bothSides: true, across: true, probeList, probes: 2 } };
  }

  it("offers a block's hits to a pass's lists on its own thread as ivf.ts's JS loop does, and hands back the hits outside the pass, blocks at once or one by one", async () => {
    const [n, d, lo, hi, k] = [600, 32, 100, 400, 5];
    const data = vectors(n, d, 9);
    const native = new Kernel(data, d, 2);
    const rand = mulberry32(17);
    const want = scanPass(n, lo, hi, k, rand);
    const got = { lists: new TopLists(hi - lo, k), offer: { ...want.offer } };
    got.offer = { ...got.offer, scores: got.lists.s, rows: got.lists.r, lengths: got.lists.n };
    const probesCell = (r: number, c: number): boolean => want.offer.probeList[2 * r] === c || want.offer.probeList[2 * r + 1] === c;
    // The same blocks offered all at once to other lists: their offers meet at lists.
    const together = { lists: new TopLists(hi - lo, k), offer: { ...want.offer } };
    together.offer = { ...together.offer, scores: together.lists.s, rows: together.lists.r, lengths: together.lists.n };
    const atOnce: Promise<unknown>[] = [];
    let outsideFound = 0;
    let dropped = 0;
    // Blocks one after another, so that later ones meet full lists and their bars.
    for (let b = 0; b < 6; b++) {
      const queries = Int32Array.from({ length: 40 }, () => lo + Math.floor(rand() * (hi - lo)));
      const rows = ids(60, n, rand);
      const bars = Float32Array.from(queries, (q) => want.lists.bar(q - lo, 0.25) - 1e-6);
      const rowBars = Float32Array.from(rows, (r) => (r >= lo && r < hi ? want.lists.bar(r - lo, 0.25) : 0.25) - 1e-6);
      const hits = await native.block(queries, rows, bars, rowBars);
      const outside: [number, number, number][] = [];
      // The offering kernel keeps a hit only where a list may take it: above the query's bar, or
      // above the row's where the row does not scan the query's cell itself.
      let found = 0;
      for (let i = 0; i < hits.query.length; i++) {
        const query = queries[hits.query[i]];
        const row = rows[hits.row[i]];
        const score = hits.scores[i];
        if (score > bars[hits.query[i]] || !probesCell(row, want.offer.probeList[2 * query])) found++;
        if (row === query || score < 0.25) continue;
        want.lists.offer(query - lo, row, score);
        if (row >= lo && row < hi) {
          if (score >= want.lists.bar(row - lo, 0.25) && !probesCell(row, want.offer.probeList[2 * query])) want.lists.offer(row - lo, query, score);
        } else if (!probesCell(row, want.offer.probeList[2 * query])) outside.push([hits.query[i], hits.row[i], score]);
      }
      atOnce.push(native.offeredBlock(queries, rows, bars, rowBars, together.offer));
      const offered = await native.offeredBlock(queries, rows, bars, rowBars, got.offer);
      expect(offered.found).toBe(found);
      dropped += hits.query.length - found;
      expect(Array.from(offered.query, (q, i) => [q, offered.row[i], offered.scores[i]])).toEqual(outside);
      outsideFound += outside.length;
    }
    expect(outsideFound).toBeGreaterThan(0);
    expect(dropped).toBeGreaterThan(0);
    expect(want.lists.n.filter((x) => x === k).length).toBeGreaterThan(20);
    await Promise.all(atOnce);
    // The same k best a list, best first (a heap's layout follows the order of its offers).
    const best = (lists: TopLists): [number[], number[]][] =>
      Array.from({ length: hi - lo }, (_, q) => {
        const rows = new Int32Array(k);
        const scores = new Float32Array(k);
        lists.sorted(q, rows, scores);
        return [Array.from(rows), Array.from(scores)];
      });
    expect(Array.from(got.lists.n)).toEqual(Array.from(want.lists.n));
    expect(Array.from(together.lists.n)).toEqual(Array.from(want.lists.n));
    expect(best(got.lists)).toEqual(best(want.lists));
    expect(best(together.lists)).toEqual(best(want.lists));
  });

  it("offers a pass's waiting records to its lists as TopLists does, beside the pass's blocks, and refuses a record outside the pass", async () => {
    const [n, d, lo, hi, k] = [600, 32, 100, 400, 5];
    const native = new Kernel(vectors(n, d, 3), d, 2);
    const rand = mulberry32(23);
    const want = scanPass(n, lo, hi, k, rand);
    const got = { lists: new TopLists(hi - lo, k), offer: { ...want.offer } };
    got.offer = { ...got.offer, scores: got.lists.s, rows: got.lists.r, lengths: got.lists.n };
    // Waiting offers: rows of the pass (~3 to a row, so that every one counts; ties included), others anywhere.
    const count = 600;
    const words = new Uint32Array(3 * count + 3);
    const scores = new Float32Array(words.buffer);
    for (let i = 0; i < count; i++) {
      words[3 * i] = lo + Math.floor(rand() * 200);
      words[3 * i + 1] = Math.floor(rand() * n);
      scores[3 * i + 2] = Math.round(rand() * 40) / 40;
      want.lists.offer(words[3 * i] - lo, words[3 * i + 1], scores[3 * i + 2]);
    }
    // A block offering to the same lists at once (its queries and rows among the records' rows).
    const queries = Int32Array.from({ length: 30 }, (_, i) => lo + 60 + i);
    const rows = Int32Array.from({ length: 40 }, (_, i) => lo + 120 + i);
    const bars = new Float32Array(queries.length).fill(0.3);
    const rowBars = new Float32Array(rows.length).fill(0.3);
    const hits = await native.block(queries, rows, bars, rowBars);
    const probesCell = (r: number, c: number): boolean => want.offer.probeList[2 * r] === c || want.offer.probeList[2 * r + 1] === c;
    for (let i = 0; i < hits.query.length; i++) {
      const query = queries[hits.query[i]];
      const row = rows[hits.row[i]];
      if (hits.scores[i] < 0.25) continue;
      want.lists.offer(query - lo, row, hits.scores[i]);
      if (!probesCell(row, want.offer.probeList[2 * query])) want.lists.offer(row - lo, query, hits.scores[i]);
    }
    // The records in two pieces (the second with a spare record past `count`), beside the block.
    await Promise.all([native.offerRecords(words, 200, got.offer), native.offeredBlock(queries, rows, bars, rowBars, got.offer), native.offerRecords(words.subarray(600), count - 200, got.offer)]);
    const best = (lists: TopLists): number[][] =>
      Array.from({ length: hi - lo }, (_, q) => {
        const r = new Int32Array(k);
        const sc = new Float32Array(k);
        lists.sorted(q, r, sc);
        return [...r, ...sc];
      });
    expect(hits.query.length).toBeGreaterThan(0);
    expect(Array.from(got.lists.n)).toEqual(Array.from(want.lists.n));
    expect(best(got.lists)).toEqual(best(want.lists));
    const outside = Uint32Array.of(lo - 1, 0, 0);
    expect(() => addon!.offerRecords(outside, 1, got.offer)).toThrow(/outside the offer's pass/);
    expect(() => addon!.offerRecords(words, count + 2, got.offer)).toThrow(/bad argument/);
    expect(() => addon!.offerRecords(words, 1, { ...got.offer, hi: 7 })).toThrow(/hold hi - lo rows of k/);
  });

  it('refuses an offer whose lists, pass or probes do not fit the block', () => {
    const data = vectors(10, 16, 1);
    const one = Float32Array.of(0.5);
    const { offer } = scanPass(10, 2, 6, 3, mulberry32(1));
    const block = (queries: Int32Array, rows: Int32Array, o: unknown): unknown => addon!.block(data, 16, queries, rows, one, undefined, 1, undefined, o as ScanOffer);
    expect(() => block(Int32Array.of(1), Int32Array.of(0), offer)).toThrow(/outside the offer's pass/);
    expect(() => block(Int32Array.of(2), Int32Array.of(0), { ...offer, probeList: new Int32Array(4) })).toThrow(/outside the offer's pass or its probes/);
    expect(() => block(Int32Array.of(2), Int32Array.of(7), { ...offer, probeList: new Int32Array(14) })).toThrow(/outside the offer's probes/);
    expect(() => block(Int32Array.of(2), Int32Array.of(0), { ...offer, hi: 7 })).toThrow(/hold hi - lo rows of k/);
    expect(() => block(Int32Array.of(2), Int32Array.of(0), { ...offer, k: 0 })).toThrow(/k and probes must be positive/);
    expect(() => block(Int32Array.of(2), Int32Array.of(0), { ...offer, scores: new Float64Array(12) })).toThrow(/offer must be/);
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
