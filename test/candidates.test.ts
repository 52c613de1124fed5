import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { findCandidates, sortAndDedupePairs, termPairs, type CandidatePairs, type CandidateResult } from '../src/candidates/index.js';
import { candidateBlocks, candidateLookup, candidatePairKeyPages, candidatePairPages, countCandidates, readCandidateNeighbours, readCandidateSuccessors, writeCandidates as storeCandidates } from '../src/store/index.js';
import { readTermCandidates } from '../src/store/candidates.js';

/** The candidates stage's write: kNN pairs mapped to term ids, then stored. */
async function writeCandidates(db: Db, termIds: ArrayLike<number>, pairs: CandidatePairs) {
  return storeCandidates(db, termPairs(termIds, pairs));
}
import { openDb, type Db } from '../src/store/db.js';
import { mulberry32 } from '../src/util/random.js';

const N = 2000;
const D = 32;
const PLANTED = 100;

function gaussian(rnd: () => number): number {
  let u = 0;
  while (u === 0) u = rnd();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
}

function normalise(v: Float32Array, row: number): void {
  let s = 0;
  for (let j = 0; j < D; j++) s += v[row * D + j] ** 2;
  s = 1 / Math.sqrt(s);
  for (let j = 0; j < D; j++) v[row * D + j] *= s;
}

/** Random unit vectors plus PLANTED near-duplicate pairs (cosine ~0.97) at seeded positions. */
function data(seed = 7): { vectors: Float32Array; planted: Array<[number, number]> } {
  const rnd = mulberry32(seed);
  const vectors = new Float32Array(N * D);
  for (let i = 0; i < N * D; i++) vectors[i] = gaussian(rnd);
  for (let i = 0; i < N; i++) normalise(vectors, i);
  const order = Array.from({ length: N }, (_, i) => i);
  for (let i = N - 1; i > 0; i--) {
    const k = Math.floor(rnd() * (i + 1));
    [order[i], order[k]] = [order[k], order[i]];
  }
  const planted: Array<[number, number]> = [];
  for (let p = 0; p < PLANTED; p++) {
    const [x, y] = [order[2 * p], order[2 * p + 1]];
    for (let j = 0; j < D; j++) vectors[y * D + j] = vectors[x * D + j] + 0.04 * gaussian(rnd);
    normalise(vectors, y);
    planted.push(x < y ? [x, y] : [y, x]);
  }
  return { vectors, planted };
}

const dot = (v: Float32Array, i: number, j: number): number => {
  let s = 0;
  for (let x = 0; x < D; x++) s += v[i * D + x] * v[j * D + x];
  return s;
};

function pairKeys(r: CandidateResult): Set<string> {
  const s = new Set<string>();
  for (let i = 0; i < r.pairs.a.length; i++) s.add(`${r.pairs.a[i]},${r.pairs.b[i]}`);
  return s;
}

function expectCanonical(r: CandidateResult): void {
  const { a, b, cosine } = r.pairs;
  expect(b.length).toBe(a.length);
  expect(cosine.length).toBe(a.length);
  for (let i = 0; i < a.length; i++) {
    expect(a[i]).toBeLessThan(b[i]); // a < b, so never a self pair
    if (i > 0) expect(a[i - 1] < a[i] || (a[i - 1] === a[i] && b[i - 1] < b[i])).toBe(true); // sorted, no duplicates
  }
}

describe('findCandidates', () => {
  const { vectors, planted } = data();
  let result: CandidateResult;
  beforeAll(() => {
    result = findCandidates(vectors, D, { topK: 10, minCosine: 0.7, annSample: 500, threads: 2 });
  });

  it('finds every planted near-duplicate pair', () => {
    const keys = pairKeys(result);
    for (const [x, y] of planted) expect(keys.has(`${x},${y}`)).toBe(true);
  });

  it('returns symmetric, de-duplicated, sorted pairs without self pairs', () => {
    expectCanonical(result);
    expect(result.stats.pairs).toBe(result.pairs.a.length);
    // Mutual neighbours were found from both sides and merged into one pair.
    expect(result.stats.rawPairs).toBeGreaterThan(result.stats.pairs);
  });

  it('respects minCosine and reports true cosines', () => {
    const { a, b, cosine } = result.pairs;
    for (let i = 0; i < a.length; i++) {
      expect(cosine[i]).toBeGreaterThanOrEqual(0.7);
      expect(cosine[i]).toBeCloseTo(dot(vectors, a[i], b[i]), 4);
    }
    // Exhaustive check: every pair >= 0.7 within some row's exact top-10 is present.
    const keys = pairKeys(result);
    let missed = 0;
    let wanted = 0;
    for (let i = 0; i < N; i += 7) {
      const top = Array.from({ length: N }, (_, j) => j).filter((j) => j !== i).map((j) => [j, dot(vectors, i, j)] as const).sort((p, q) => q[1] - p[1]).slice(0, 10);
      for (const [j, c] of top) {
        if (c < 0.7) continue;
        wanted++;
        if (!keys.has(i < j ? `${i},${j}` : `${j},${i}`)) missed++;
      }
    }
    expect(wanted).toBeGreaterThan(0);
    expect(missed / wanted).toBeLessThan(0.05);
  });

  it('keeps at most topK neighbours per query, self excluded', () => {
    const topK = 5;
    const r = findCandidates(vectors, D, { topK, minCosine: -1, annSample: 0, threads: 2 });
    expectCanonical(r);
    // With no threshold every query keeps exactly topK non-self neighbours...
    expect(r.stats.rawPairs).toBe(N * topK);
    const degree = new Uint32Array(N);
    for (let i = 0; i < r.pairs.a.length; i++) {
      degree[r.pairs.a[i]]++;
      degree[r.pairs.b[i]]++;
    }
    // ...so each row has at least its own topK pairs, and no more pairs exist than queries x topK.
    for (let i = 0; i < N; i++) expect(degree[i]).toBeGreaterThanOrEqual(topK);
    expect(r.pairs.a.length).toBeLessThanOrEqual(N * topK);
    expect(Number.isNaN(r.annRecall)).toBe(true);
    expect(r.sampleSize).toBe(0);
  });

  it('measures ANN recall on a seeded sample', () => {
    expect(result.sampleSize).toBe(500);
    expect(result.annRecall).toBeGreaterThanOrEqual(0.9);
    expect(result.annRecall).toBeLessThanOrEqual(1);
    expect(result.annRecallAboveMin).toBeGreaterThanOrEqual(0.9);
    expect(result.annRecallAboveMin).toBeLessThanOrEqual(1);
    expect(result.seconds.exact).toBeGreaterThan(0);
  });

  it('is deterministic by default (single-threaded construction)', () => {
    const again = findCandidates(vectors, D, { topK: 10, minCosine: 0.7, annSample: 500, threads: 2 });
    expect(again.stats.addThreads).toBe(1);
    expect(again.stats.searchThreads).toBeGreaterThanOrEqual(1);
    expect(Array.from(again.pairs.a)).toEqual(Array.from(result.pairs.a));
    expect(Array.from(again.pairs.b)).toEqual(Array.from(result.pairs.b));
    expect(Array.from(again.pairs.cosine)).toEqual(Array.from(result.pairs.cosine));
    expect(again.stats.rawPairs).toBe(result.stats.rawPairs);
    expect(again.annRecall).toBe(result.annRecall);
  });

  it('rescores quantized indexes exactly', () => {
    const r = findCandidates(vectors, D, { topK: 10, minCosine: 0.7, quantization: 'i8', annSample: 100, threads: 2 });
    expectCanonical(r);
    const keys = pairKeys(r);
    for (const [x, y] of planted) expect(keys.has(`${x},${y}`)).toBe(true);
    for (let i = 0; i < r.pairs.a.length; i++) {
      expect(r.pairs.cosine[i]).toBeGreaterThanOrEqual(0.7);
      expect(r.pairs.cosine[i]).toBeCloseTo(dot(vectors, r.pairs.a[i], r.pairs.b[i]), 5);
    }
  });

  it('can query a prefix of the rows only', () => {
    for (const queryRows of [1, 300]) {
      const r = findCandidates(vectors, D, { topK: 5, minCosine: -1, annSample: 50, queryRows, threads: 2 });
      expectCanonical(r);
      expect(r.stats.queriedRows).toBe(queryRows);
      expect(r.stats.rawPairs).toBe(queryRows * 5);
      expect(r.sampleSize).toBe(Math.min(50, queryRows));
      for (let i = 0; i < r.pairs.a.length; i++) expect(r.pairs.a[i] < queryRows || r.pairs.b[i] < queryRows).toBe(true);
    }
  });

  it('handles tiny inputs and rejects unnormalised rows', () => {
    expect(findCandidates(new Float32Array(0), D).pairs.a.length).toBe(0);
    expect(findCandidates(vectors.slice(0, D), D).pairs.a.length).toBe(0);
    const three = findCandidates(vectors.slice(0, 3 * D), D, { minCosine: -1, annSample: 3 });
    expect(Array.from(three.pairs.a)).toEqual([0, 0, 1]);
    expect(Array.from(three.pairs.b)).toEqual([1, 2, 2]);
    expect(three.annRecall).toBe(1);
    const bad = vectors.slice(0, 10 * D);
    bad[3 * D] += 0.5;
    expect(() => findCandidates(bad, D)).toThrow(/row 3 is not L2-normalised/);
  });
});

describe('sortAndDedupePairs', () => {
  it('sorts by (a, b) and keeps the highest cosine of duplicates', () => {
    const r = sortAndDedupePairs(Uint32Array.of(2, 0, 2, 0, 1), Uint32Array.of(3, 4, 3, 1, 2), Float32Array.of(0.5, 0.9, 0.75, 0.8, 0.7), 5, 5);
    expect(Array.from(r.a)).toEqual([0, 0, 1, 2]);
    expect(Array.from(r.b)).toEqual([1, 4, 2, 3]);
    expect(Array.from(r.cosine)).toEqual([Math.fround(0.8), Math.fround(0.9), Math.fround(0.7), Math.fround(0.75)]);
  });
});

describe('candidate edges in the database', () => {
  let db: Db;
  beforeAll(() => {
    db = openDb(':memory:');
  });
  afterAll(() => db.close());

  const rows = (): Array<{ a: number; b: number; cosine: number }> => [...candidateBlocks(db)].flatMap((k) => Array.from(k.a, (a, i) => ({ a, b: k.b[i], cosine: k.cosine[i] })));

  it('stores a < b by term id and replaces previous edges on rerun', async () => {
    const none = readCandidateNeighbours(db);
    expect(none.offsets.length).toBe(1);
    expect(none.neighbours.length).toBe(0);
    expect(none.of(1).neighbours.length).toBe(0);
    expect(readCandidateSuccessors(db).offsets.length).toBe(1);
    expect(readCandidateSuccessors(db).of(1).length).toBe(0);
    const { vectors } = data(11);
    const r = findCandidates(vectors, D, { topK: 10, minCosine: 0.5, annSample: 0 });
    expect(r.pairs.a.length).toBeGreaterThan(10);
    // Term ids descend as local ids ascend, so every pair must be swapped.
    const termIds = Array.from({ length: N }, (_, i) => 100_000 - 3 * i);
    const report = await writeCandidates(db, termIds, r.pairs);
    expect(report.rows).toBe(r.pairs.a.length);
    const stored = rows();
    expect(stored.length).toBe(r.pairs.a.length);
    const expected = new Map<string, number>();
    for (let i = 0; i < r.pairs.a.length; i++) {
      const [x, y] = [termIds[r.pairs.a[i]], termIds[r.pairs.b[i]]];
      expected.set(x < y ? `${x},${y}` : `${y},${x}`, r.pairs.cosine[i]);
    }
    for (const row of stored) {
      expect(row.a).toBeLessThan(row.b);
      expect(row.cosine).toBeCloseTo(expected.get(`${row.a},${row.b}`)!, 6);
    }

    // A rerun with fewer pairs leaves only those.
    const fewer = { a: r.pairs.a.slice(0, 5), b: r.pairs.b.slice(0, 5), cosine: r.pairs.cosine.slice(0, 5) };
    expect((await writeCandidates(db, termIds, fewer)).rows).toBe(5);
    expect(rows().length).toBe(5);

    // A failing write rolls back to the previous edges: rows 0 and 1 share a term id, so two
    // pairs land on the same (a, b) after the DELETE has run.
    const clash = { a: Uint32Array.of(0, 1), b: Uint32Array.of(2, 2), cosine: Float32Array.of(0.9, 0.8) };
    await expect(writeCandidates(db, [5, 5, 7], clash)).rejects.toThrow(/repeats or precedes/);
    expect(rows().length).toBe(5);
    // A pair joining a term to itself is refused before anything is written.
    await expect(writeCandidates(db, [5, 5], { a: Uint32Array.of(0), b: Uint32Array.of(1), cosine: Float32Array.of(1) })).rejects.toThrow(/itself/);
    expect(rows().length).toBe(5);
  });

  it('writes pairs in chunks, each after the one before, in one transaction', async () => {
    const chunk = (pairs: [number, number][]) => ({ a: pairs.map((p) => p[0]), b: pairs.map((p) => p[1]), cosine: pairs.map(() => 0.75), length: pairs.length });
    const report = await storeCandidates(db, [chunk([[1, 2], [1, 5]]), chunk([]), chunk([[2, 3], [4, 9]])]);
    expect(report.rows).toBe(4);
    expect(rows().map((r) => [r.a, r.b])).toEqual([[1, 2], [1, 5], [2, 3], [4, 9]]);
    // A chunk that goes back before the last one's pairs is refused, and the old pairs stay.
    await expect(storeCandidates(db, [chunk([[1, 2], [3, 4]]), chunk([[3, 4], [5, 6]])])).rejects.toThrow(/repeats or precedes/);
    await expect(storeCandidates(db, [chunk([[3, 4]]), chunk([[2, 8]])])).rejects.toThrow(/repeats or precedes/);
    expect(rows().length).toBe(4);
  });

  it('reads neighbour lists ranked by cosine, both directions, optionally top-k', async () => {
    const pairs = {
      a: Uint32Array.of(0, 0, 0, 1, 2),
      b: Uint32Array.of(1, 2, 3, 2, 3),
      cosine: Float32Array.of(0.8, 0.95, 0.7, 0.9, 0.85),
    };
    await writeCandidates(db, [10, 20, 30, 40], pairs);
    const nb = readCandidateNeighbours(db);
    expect(nb.offsets.length).toBe(42);
    expect(Array.from(nb.of(10).neighbours)).toEqual([30, 20, 40]);
    expect(Array.from(nb.of(10).cosines)).toEqual([0.95, 0.8, 0.7].map(Math.fround));
    expect(Array.from(nb.of(30).neighbours)).toEqual([10, 20, 40]);
    expect(Array.from(nb.of(40).neighbours)).toEqual([30, 10]);
    expect(nb.of(11).neighbours.length).toBe(0);
    expect(nb.of(999).neighbours.length).toBe(0);
    for (let t = 0; t + 1 < nb.offsets.length; t++) {
      for (let p = nb.offsets[t] + 1; p < nb.offsets[t + 1]; p++) expect(nb.cosines[p]).toBeLessThanOrEqual(nb.cosines[p - 1]);
    }
    const top1 = readCandidateNeighbours(db, { k: 1 });
    expect(Array.from(top1.of(10).neighbours)).toEqual([30]);
    expect(Array.from(top1.of(20).neighbours)).toEqual([30]);
    expect(top1.neighbours.length).toBe(4);
    const strong = readCandidateNeighbours(db, { minCosine: 0.88 });
    expect(Array.from(strong.of(30).neighbours)).toEqual([10, 20]);
    expect(strong.of(40).neighbours.length).toBe(0);

    // Who is whose candidate, without ranking: each pair once, under its first term, ascending.
    const successors = readCandidateSuccessors(db);
    for (const t of [10, 20, 30, 40]) expect(Array.from(successors.of(t))).toEqual(Array.from(nb.of(t).neighbours).filter((u) => u > t).sort((x, y) => x - y));
    expect(successors.successors.length).toBe(pairs.a.length);
    expect(successors.offsets.length).toBe(42);
    expect(successors.of(11).length).toBe(0);
    expect(successors.of(999).length).toBe(0);
    // Only the pairs between kept terms.
    const keep = new Uint8Array(41);
    for (const t of [10, 30, 40]) keep[t] = 1;
    const among = readCandidateSuccessors(db, keep);
    expect(Array.from(among.of(10))).toEqual([30, 40]);
    expect(Array.from(among.of(30))).toEqual([40]);
    expect(among.of(40).length).toBe(0);
    expect(among.of(20).length).toBe(0);
    expect(among.successors.length).toBe(3);
  });

  it("stores a block's a column as runs when shorter and an all-knn origin column empty, and reads schema 9's blocks as they are", async () => {
    const blobs = () => db.prepare('SELECT n, length(a) a, length(origin) origin FROM candidate_blocks ORDER BY seq').all();
    // 100 terms with 50 pairs each: 100 runs of a, 800 bytes instead of 20,000.
    const runs: [number, number][] = [];
    for (let x = 0; x < 100; x++) for (let y = x + 1; y <= x + 50; y++) runs.push([x, y]);
    const chunk = (pairs: [number, number][], origin?: number[]) => ({ a: Int32Array.from(pairs, (p) => p[0]), b: Int32Array.from(pairs, (p) => p[1]), cosine: Float32Array.from(pairs, (p) => 1 / p[1]), origin, originNames: ['knn', 'knowledge'], length: pairs.length });
    await storeCandidates(db, chunk(runs));
    expect(blobs()).toEqual([{ n: 5000, a: 800, origin: 0 }]);
    expect(rows()).toEqual(runs.map(([a, b]) => ({ a, b, cosine: Math.fround(1 / b) })));
    expect([...candidateBlocks(db)][0].origin).toEqual(new Uint8Array(5000));
    // A pair per term (runs of one) stays n int32s; one knowledge pair keeps the origin column.
    const singles = Array.from({ length: 1000 }, (_, x): [number, number] => [x, x + 1]);
    await storeCandidates(db, chunk(singles, singles.map((_, i) => (i === 7 ? 1 : 0))));
    expect(blobs()).toEqual([{ n: 1000, a: 4000, origin: 1000 }]);
    const block = [...candidateBlocks(db)][0];
    expect(Array.from(block.a)).toEqual(singles.map((p) => p[0]));
    expect(block.origin.indexOf(1)).toBe(7);

    // A schema 9 block: every column n values long.
    const bytes = (x: Int32Array | Float32Array | Uint8Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
    const insert = db.prepare('INSERT INTO candidate_blocks(seq, n, first_a, first_b, last_a, last_b, max_b, a, b, cosine, origin) VALUES (0, 4, 1, 2, 3, 9, 9, ?, ?, ?, ?)');
    db.prepare('DELETE FROM candidate_blocks').run();
    insert.run(bytes(Int32Array.of(1, 1, 1, 3)), bytes(Int32Array.of(2, 5, 7, 9)), bytes(Float32Array.of(0.5, 0.5, 0.5, 0.5)), bytes(Uint8Array.of(0, 1, 0, 0)));
    expect(rows().map((r) => [r.a, r.b])).toEqual([[1, 2], [1, 5], [1, 7], [3, 9]]);
    expect(Array.from([...candidateBlocks(db)][0].origin)).toEqual([0, 1, 0, 0]);
    // Runs that do not add up to the block's pairs are refused, not read short.
    db.prepare('DELETE FROM candidate_blocks').run();
    insert.run(bytes(Int32Array.of(1, 2)), bytes(Int32Array.of(2, 5, 7, 9)), bytes(Float32Array.of(0.5, 0.5, 0.5, 0.5)), Buffer.alloc(0));
    expect(() => rows()).toThrow(/runs of 2 pairs for 4/);
    db.prepare('DELETE FROM candidate_blocks').run();
  });

  it('keeps many pairs in blocks: pages, lookups and neighbours read the same pairs across block boundaries', async () => {
    const random = mulberry32(5);
    const keys = new Set<string>();
    while (keys.size < 20_000) {
      const x = Math.floor(random() * 3000);
      const y = Math.floor(random() * 3000);
      if (x !== y) keys.add(x < y ? `${x},${y}` : `${y},${x}`);
    }
    const pairs = [...keys].map((k) => k.split(',').map(Number)).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    const cosine = pairs.map((_, i) => Math.fround(0.5 + (i % 97) / 200));
    const origin = pairs.map((_, i) => (i % 50 === 0 ? 1 : 0));
    await storeCandidates(db, { a: pairs.map((p) => p[0]), b: pairs.map((p) => p[1]), cosine, origin, originNames: ['knn', 'knowledge'], length: pairs.length });
    expect(countCandidates(db)).toBe(20_000);
    const blocks = [...candidateBlocks(db)];
    expect(blocks.map((k) => k.n)).toEqual([8192, 8192, 3616]);
    expect(blocks.flatMap((k) => Array.from(k.origin))).toEqual(origin);

    // Pages of any size, in (a, b) order, the last one shorter.
    const pages = [...candidatePairKeyPages(db, 4096, 3000)];
    expect(pages.map((p) => p.length)).toEqual([3000, 3000, 3000, 3000, 3000, 3000, 2000]);
    expect(pages.flatMap((p) => Array.from(p))).toEqual(pairs.map(([a, b]) => a * 4096 + b));
    // The same as pairs of term ids, each page in arrays of its own (a worker may take them).
    const idPages = [...candidatePairPages(db, 3000)];
    expect(idPages.map((p) => p.n)).toEqual([3000, 3000, 3000, 3000, 3000, 3000, 2000]);
    expect(new Set(idPages.map((p) => p.a.buffer)).size).toBe(idPages.length);
    expect(idPages.flatMap((p) => Array.from(p.a.subarray(0, p.n), (a, i) => [a, p.b[i]]))).toEqual(pairs);

    // Every pair is found, in either order; pairs that are not stored are not.
    const isCandidate = candidateLookup(db);
    for (let i = 0; i < pairs.length; i += 7) {
      expect(isCandidate(pairs[i][0], pairs[i][1])).toBe(true);
      expect(isCandidate(pairs[i][1], pairs[i][0])).toBe(true);
    }
    let absent = 0;
    for (let x = 0; x < 3000 && absent < 500; x += 3) {
      const y = (x * 7 + 1) % 3000;
      if (x === y || keys.has(x < y ? `${x},${y}` : `${y},${x}`)) continue;
      expect(isCandidate(x, y)).toBe(false);
      absent++;
    }
    expect(isCandidate(-1, 0)).toBe(false);
    expect(isCandidate(2999, 5000)).toBe(false);

    // A term's neighbours: as `a` in consecutive blocks and as `b` anywhere.
    for (const t of [0, pairs[8191][0], pairs[8192][1], 2999]) {
      const expected = pairs.flatMap((p, i) => (p[0] === t ? [[p[1], cosine[i]]] : p[1] === t ? [[p[0], cosine[i]]] : [])).sort((x, y) => x[0] - y[0]);
      const found = readTermCandidates(db, t);
      expect(found.neighbours.map((n, i) => [n, found.cosines[i]]).sort((x, y) => x[0] - y[0])).toEqual(expected);
    }

    // Knowledge pairs stay in the neighbour lists whatever their cosine (none here reaches 0.99).
    const lists = readCandidateNeighbours(db, { minCosine: 0.99 });
    expect(lists.neighbours.length).toBe(2 * 400);
    for (let i = 0; i < pairs.length; i += 50) expect(Array.from(lists.of(pairs[i][0]).neighbours)).toContain(pairs[i][1]);
  });
});
