/**
 * Candidate edges in the database: `candidate_edges(a, b, cosine)`, one row per unordered pair
 * with `a < b` by term id, and their per-term neighbour lists (CSR) for recall@k.
 */
import type { Db } from './db.js';
import { inTransaction } from './ingest.js';
import { GrowableInt32 } from '../util/growable.js';

const ROWS_PER_INSERT = 128;

export interface WriteCandidatesReport {
  rows: number;
  seconds: number;
}

/**
 * Replaces every candidate edge with the given pairs (term ids, a < b, in (a, b) order), in one
 * transaction: the DELETE and the inserts commit together or not at all, so a rerun is clean.
 * Rows arrive in primary-key order, which keeps the B-tree appends cheap.
 */
export interface CandidateRows {
  a: ArrayLike<number>;
  b: ArrayLike<number>;
  cosine: ArrayLike<number>;
  /** Each pair's origin as an index into `originNames` (all `knn` when absent). */
  origin?: ArrayLike<number>;
  originNames?: readonly string[];
  length: number;
}

export async function writeCandidates(db: Db, pairs: CandidateRows): Promise<WriteCandidatesReport> {
  const started = performance.now();
  return inTransaction(db, async () => {
    db.prepare('DELETE FROM candidate_edges').run();
    // Many rows per statement: one call into SQLite per row cost ~3 µs a row (tens of millions of pairs).
    const wide = db.prepare(`INSERT INTO candidate_edges(a, b, cosine, origin) VALUES ${new Array(ROWS_PER_INSERT).fill('(?, ?, ?, ?)').join(', ')}`);
    const one = db.prepare('INSERT INTO candidate_edges(a, b, cosine, origin) VALUES (?, ?, ?, ?)');
    const names = pairs.originNames ?? ['knn'];
    const originOf = (i: number): string => names[pairs.origin?.[i] ?? 0];
    const params = new Array<number | string>(4 * ROWS_PER_INSERT);
    let i = 0;
    for (; i + ROWS_PER_INSERT <= pairs.length; i += ROWS_PER_INSERT) {
      for (let j = 0; j < ROWS_PER_INSERT; j++) {
        params[4 * j] = pairs.a[i + j];
        params[4 * j + 1] = pairs.b[i + j];
        params[4 * j + 2] = pairs.cosine[i + j];
        params[4 * j + 3] = originOf(i + j);
      }
      wide.run(params);
    }
    for (; i < pairs.length; i++) one.run(pairs.a[i], pairs.b[i], pairs.cosine[i], originOf(i));
    return { rows: pairs.length, seconds: (performance.now() - started) / 1000 };
  });
}

/** How many candidate edges are stored. */
export function countCandidates(db: Db): number {
  return db.prepare('SELECT count(*) FROM candidate_edges').pluck().get() as number;
}

/**
 * Every term's candidate neighbours, strongest first (the knowledge's candidates, then the
 * embedding's, each by cosine), in CSR form indexed by term id:
 * the neighbours of term `t` are `neighbours[offsets[t] .. offsets[t + 1])` with their `cosines`.
 * Ties are broken by ascending neighbour id, so the order is deterministic.
 */
export interface CandidateNeighbours {
  /** Length maxTermId + 2 (1 when there are no edges). */
  offsets: Uint32Array;
  neighbours: Int32Array;
  cosines: Float32Array;
  /** Views (no copy) of one term's neighbours and cosines; empty for unknown terms. */
  of(termId: number): { neighbours: Int32Array; cosines: Float32Array };
}

export interface ReadNeighboursOptions {
  /** Keep at most this many neighbours per term (the top ones). */
  k?: number;
  /** Ignore edges below this cosine. */
  minCosine?: number;
}

export function readCandidateNeighbours(db: Db, options: ReadNeighboursOptions = {}): CandidateNeighbours {
  const minCosine = options.minCosine ?? -Infinity;
  const k = options.k ?? Infinity;
  if (!(k >= 0)) throw new RangeError(`k must be non-negative (got ${k})`);
  const maxId = (db.prepare('SELECT max(b) FROM candidate_edges').pluck().get() as number | null) ?? -1;
  const minId = (db.prepare('SELECT min(a) FROM candidate_edges').pluck().get() as number | null) ?? 0;
  if (minId < 0) throw new RangeError(`negative term id ${minId} in candidate_edges`);
  const slots = maxId + 1;
  if (maxId >= 2 ** 31) throw new RangeError(`term id ${maxId} does not fit the Int32Array neighbour lists`);
  // A knowledge candidate (origin 'knowledge') ranks before every neighbour: its key is cosine + 2.
  const edges = db.prepare("SELECT count(*) FROM candidate_edges WHERE cosine >= ? OR origin = 'knowledge'").pluck().get(minCosine) as number;

  const ea = new Int32Array(edges);
  const eb = new Int32Array(edges);
  const ec = new Float32Array(edges);
  const degree = new Uint32Array(slots + 1);
  let e = 0;
  for (const row of db.prepare("SELECT a, b, CASE origin WHEN 'knowledge' THEN cosine + 2 ELSE cosine END FROM candidate_edges WHERE cosine >= ? OR origin = 'knowledge'").raw().iterate(minCosine) as Iterable<[number, number, number]>) {
    ea[e] = row[0];
    eb[e] = row[1];
    ec[e] = row[2];
    degree[row[0] + 1]++;
    degree[row[1] + 1]++;
    e++;
  }
  const offsets = new Uint32Array(slots + 1);
  for (let t = 0; t < slots; t++) offsets[t + 1] = offsets[t] + degree[t + 1];
  const fill = offsets.slice(0, slots);
  let neighbours = new Int32Array(2 * e);
  let cosines = new Float32Array(2 * e);
  for (let i = 0; i < e; i++) {
    let p = fill[ea[i]]++;
    neighbours[p] = eb[i];
    cosines[p] = ec[i];
    p = fill[eb[i]]++;
    neighbours[p] = ea[i];
    cosines[p] = ec[i];
  }

  // Sort each list by cosine desc, neighbour asc; then truncate to k (compacting in place).
  let maxDegree = 0;
  for (let t = 0; t < slots; t++) maxDegree = Math.max(maxDegree, offsets[t + 1] - offsets[t]);
  const perm = new Uint32Array(maxDegree);
  const nb = new Int32Array(maxDegree);
  const cs = new Float32Array(maxDegree);
  let w = 0;
  let from = 0;
  for (let t = 0; t < slots; t++) {
    const start = from;
    const end = offsets[t + 1];
    from = end;
    const len = end - start;
    for (let j = 0; j < len; j++) {
      perm[j] = j;
      nb[j] = neighbours[start + j];
      cs[j] = cosines[start + j];
    }
    const order = perm.subarray(0, len).sort((x, y) => cs[y] - cs[x] || nb[x] - nb[y]);
    const kept = Math.min(len, k);
    offsets[t] = w;
    for (let j = 0; j < kept; j++) {
      neighbours[w] = nb[order[j]];
      // Back from the ranking key to the cosine (no cosine exceeds 1).
      const key = cs[order[j]];
      cosines[w] = key > 1.5 ? key - 2 : key;
      w++;
    }
  }
  offsets[slots] = w;
  if (w < neighbours.length) {
    neighbours = neighbours.slice(0, w);
    cosines = cosines.slice(0, w);
  }
  return {
    offsets,
    neighbours,
    cosines,
    of(termId: number) {
      if (!(termId >= 0 && termId < slots)) return { neighbours: new Int32Array(0), cosines: new Float32Array(0) };
      return { neighbours: neighbours.subarray(offsets[termId], offsets[termId + 1]), cosines: cosines.subarray(offsets[termId], offsets[termId + 1]) };
    },
  };
}

/** Every term's candidate neighbours (term ids), in no particular but a deterministic order, as CSR indexed by term id. */
export interface CandidateAdjacency {
  /** Length maxTermId + 2 (1 when there are no edges). */
  offsets: Uint32Array;
  neighbours: Int32Array;
  /** A view (no copy) of one term's neighbours; empty for unknown terms. */
  of(termId: number): Int32Array;
}

/** Pair keys `a * ADJACENCY_BASE + b`: exact for term ids under 2^26, as the relations stage's. */
const ADJACENCY_BASE = 0x4000000;
const ADJACENCY_PAGE = 65_536;

/**
 * Who is whose candidate, without cosines or ranking: what the evidence stage asks, and only
 * between the terms `keep` marks (by term id; all when absent). One pass over keyset pages of one
 * number per pair collects the kept pairs, which are then laid out as lists, each in pair order:
 * the kept pairs are held twice while that runs, so at scale pass `keep`. The evidence stage keeps
 * the terms of its large pattern groups: 15.7M of the 61.7M pairs of a 1M-term list, where
 * holding every pair took 0.5 GB (a projected 8 GB at 15M terms) and two passes (each 9-17 s).
 */
export function readCandidateAdjacency(db: Db, keep?: Uint8Array): CandidateAdjacency {
  const maxId = (db.prepare('SELECT max(b) FROM candidate_edges').pluck().get() as number | null) ?? -1;
  if (maxId >= ADJACENCY_BASE) throw new RangeError(`term id ${maxId} does not fit the pair keys of the adjacency (under ${ADJACENCY_BASE})`);
  const slots = maxId + 1;
  const kept = (id: number): boolean => keep === undefined || (id < keep.length && keep[id] === 1);
  const pairA = new GrowableInt32(1 << 16);
  const pairB = new GrowableInt32(1 << 16);
  const offsets = new Uint32Array(slots + 1);
  for (const keys of candidatePairKeyPages(db, ADJACENCY_BASE, ADJACENCY_PAGE))
    for (const key of keys) {
      const a = Math.floor(key / ADJACENCY_BASE);
      const b = key - a * ADJACENCY_BASE;
      if (!kept(a) || !kept(b)) continue;
      pairA.push(a);
      pairB.push(b);
      offsets[a + 1]++;
      offsets[b + 1]++;
    }
  for (let t = 0; t < slots; t++) offsets[t + 1] += offsets[t];
  const neighbours = new Int32Array(offsets[slots]);
  const fill = offsets.slice(0, slots);
  for (let i = 0; i < pairA.length; i++) {
    const a = pairA.data[i];
    const b = pairB.data[i];
    neighbours[fill[a]++] = b;
    neighbours[fill[b]++] = a;
  }
  return {
    offsets,
    neighbours,
    of: (termId) => (termId >= 0 && termId < slots ? neighbours.subarray(offsets[termId], offsets[termId + 1]) : new Int32Array(0)),
  };
}

/**
 * Candidate pairs in (a, b) order as pair keys (`a * base + b`), read in keyset pages of at most
 * `pageSize`: each page is read whole before it is yielded, so the caller may write on the same
 * connection between pages. One number per pair, never an object, and one native call per page,
 * not per pair: a large build stores tens of millions of pairs. The discriminator's training
 * sample is drawn in this order, so changing it changes the model.
 */
export function* candidatePairKeyPages(db: Db, base: number, pageSize: number): Generator<Float64Array> {
  if (!Number.isSafeInteger(base) || base <= 0) throw new RangeError(`pair key base ${base} is not a positive integer`);
  const page = db.prepare(`SELECT a * ${base} + b FROM candidate_edges WHERE (a, b) > (?, ?) ORDER BY a, b LIMIT ?`).pluck();
  let lastA = -1;
  let lastB = -1;
  for (;;) {
    const keys = page.all(lastA, lastB, pageSize) as number[];
    if (keys.length === 0) return;
    const last = keys[keys.length - 1];
    lastA = Math.floor(last / base);
    lastB = last - lastA * base;
    yield Float64Array.from(keys);
  }
}
