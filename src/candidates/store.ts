/**
 * Candidate edges in the database: `candidate_edges(a, b, cosine)`, one row per unordered pair
 * with `a < b` by term id, and their per-term neighbour lists (CSR) for recall@k.
 */
import type { Db } from '../store/db.js';
import { inTransaction } from '../store/ingest.js';
import { sortAndDedupePairs, type CandidatePairs } from './knn.js';

export interface WriteCandidatesReport {
  rows: number;
  seconds: number;
}

/**
 * Replaces every candidate edge with `pairs` (local ids, mapped to term ids by `termIds`), in one
 * transaction: the DELETE and the inserts commit together or not at all, so a rerun is clean.
 * Rows are inserted in primary-key order (term ids sorted), which keeps the B-tree appends cheap.
 */
export async function writeCandidates(db: Db, termIds: ArrayLike<number>, pairs: CandidatePairs): Promise<WriteCandidatesReport> {
  const started = performance.now();
  const n = termIds.length;
  const m = pairs.a.length;
  if (pairs.b.length !== m || pairs.cosine.length !== m) throw new RangeError('pairs arrays differ in length');
  for (let i = 0; i < n; i++) {
    if (!Number.isSafeInteger(termIds[i])) throw new RangeError(`termIds[${i}] is not an integer (${termIds[i]})`);
  }

  // Rank local ids by term id, so that ordering by rank is ordering by term id; pairs are then
  // oriented (a < b by term id) and sorted by (a, b) with the same linear sort as the ANN stage.
  let monotonic = true;
  for (let i = 1; i < n && monotonic; i++) if (termIds[i] <= termIds[i - 1]) monotonic = false;
  let rank: Uint32Array | null = null;
  let byRank: Uint32Array | null = null;
  if (!monotonic) {
    byRank = Uint32Array.from({ length: n }, (_, i) => i).sort((x, y) => termIds[x] - termIds[y]);
    rank = new Uint32Array(n);
    for (let r = 0; r < n; r++) rank[byRank[r]] = r;
  }
  const a = new Uint32Array(m);
  const b = new Uint32Array(m);
  const c = new Float32Array(m);
  for (let i = 0; i < m; i++) {
    const la = pairs.a[i];
    const lb = pairs.b[i];
    if (la >= n || lb >= n) throw new RangeError(`pair ${i} (${la}, ${lb}) refers to a row without a term id (${n} term ids)`);
    const ra = rank ? rank[la] : la;
    const rb = rank ? rank[lb] : lb;
    if (ra === rb || termIds[la] === termIds[lb]) throw new RangeError(`pair ${i} joins term ${termIds[la]} to itself`);
    a[i] = ra < rb ? ra : rb;
    b[i] = ra < rb ? rb : ra;
    c[i] = pairs.cosine[i];
  }
  const sorted = sortAndDedupePairs(a, b, c, m, n);
  const termOf = (r: number): number => termIds[byRank ? byRank[r] : r];

  return inTransaction(db, async () => {
    db.prepare('DELETE FROM candidate_edges').run();
    const insert = db.prepare('INSERT INTO candidate_edges(a, b, cosine) VALUES (?, ?, ?)');
    for (let i = 0; i < sorted.a.length; i++) insert.run(termOf(sorted.a[i]), termOf(sorted.b[i]), sorted.cosine[i]);
    return { rows: sorted.a.length, seconds: (performance.now() - started) / 1000 };
  });
}

/**
 * Every term's candidate neighbours, strongest first, in CSR form indexed by term id:
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
  const edges = db.prepare('SELECT count(*) FROM candidate_edges WHERE cosine >= ?').pluck().get(minCosine) as number;

  const ea = new Int32Array(edges);
  const eb = new Int32Array(edges);
  const ec = new Float32Array(edges);
  const degree = new Uint32Array(slots + 1);
  let e = 0;
  for (const row of db.prepare('SELECT a, b, cosine FROM candidate_edges WHERE cosine >= ?').raw().iterate(minCosine) as Iterable<[number, number, number]>) {
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
      cosines[w] = cs[order[j]];
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
