/**
 * Candidate pairs in the database, in blocks: `candidate_blocks(seq, n, first_a, first_b, last_a,
 * last_b, max_b, a, b, cosine, origin)` holds the pairs sorted by (a, b), `a < b` by term id, 8,192
 * to a row, each column a little-endian array (int32 term ids, float32 cosines, uint8 origins:
 * `STORED_ORIGINS`). Also their per-term neighbour lists (CSR) for recall@k.
 *
 * Why blocks and not a row per pair: every later stage reads all the pairs in order, and a build of
 * 15M terms has about 900M of them. On the 1M-term list (61.7M pairs), a row per pair (a WITHOUT
 * ROWID table) took 1.76 GB and 34-41 s to write, and each reading pass 12.5 s; blocks take 0.80
 * GB, 3.5 s to write (in the build) and 1.0 s to read as pair keys. What rows gave, blocks give too:
 * the pairs in (a, b) order, one pair's lookup (an index on each block's first pair, then a binary
 * search in the block), and a term's neighbours (a scan of every block: rare, see examples.ts).
 */
import type { Db } from './db.js';
import { inTransaction } from './ingest.js';
import { GrowableInt32 } from '../util/growable.js';
import { StoreError } from '../errors.js';
import { blockOf, candidateBlocks, insertCandidateBlocks, KNOWLEDGE, littleEndian, type BlockRow, type CandidateBlock, type CandidateRows } from './candidate-blocks.js';

export { candidateBlocks, STORED_ORIGINS, type CandidateBlock, type CandidateRows } from './candidate-blocks.js';

export interface WriteCandidatesReport {
  rows: number;
  seconds: number;
}

/**
 * Replaces every candidate edge with the given pairs, in one transaction: the DELETE and the
 * inserts commit together or not at all, so a rerun is clean. Pairs may come in chunks, each
 * following the one before in (a, b) order (a build of millions of terms never holds them all).
 */
export async function writeCandidates(db: Db, pairs: CandidateRows | Iterable<CandidateRows>): Promise<WriteCandidatesReport> {
  const started = performance.now();
  return inTransaction(db, async () => {
    db.prepare('DELETE FROM candidate_blocks').run();
    let rows = 0;
    let last: [number, number] = [-1, -1];
    for (const chunk of Symbol.iterator in pairs ? pairs : [pairs]) {
      last = insertCandidateBlocks(db, chunk, last);
      rows += chunk.length;
    }
    return { rows, seconds: (performance.now() - started) / 1000 };
  });
}

/** Largest term id in any pair, or -1 without pairs. */
function maxTermId(db: Db): number {
  return (db.prepare('SELECT max(max_b) FROM candidate_blocks').pluck().get() as number | null) ?? -1;
}

/**
 * The block that would hold pair (a, b): the last whose first pair is not after it. The returned
 * function keeps the block it read last, so lookups in (a, b) order read each block once.
 */
export function candidatePairLookup(db: Db): (a: number, b: number) => { block: CandidateBlock; at: number } | null {
  littleEndian(db);
  const find = db.prepare('SELECT seq, n, a, b, cosine, origin FROM candidate_blocks WHERE (first_a, first_b) <= (?, ?) ORDER BY first_a DESC, first_b DESC LIMIT 1');
  let cached: CandidateBlock | null = null;
  /** (x, y) is not before (a, b). */
  const atOrAfter = (x: number, y: number, a: number, b: number): boolean => x > a || (x === a && y >= b);
  return (a, b) => {
    const last = cached === null ? 0 : cached.n - 1;
    if (cached === null || !atOrAfter(a, b, cached.a[0], cached.b[0]) || !atOrAfter(cached.a[last], cached.b[last], a, b)) {
      const row = find.get(a, b) as BlockRow | undefined;
      if (!row) return null;
      cached = blockOf(row);
    }
    const block = cached;
    let lo = 0;
    let hi = block.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const d = block.a[mid] - a || block.b[mid] - b;
      if (d === 0) return { block, at: mid };
      if (d < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return null;
  };
}

/** Term `id`'s candidate neighbours with their cosines, in no particular order. */
export function readTermCandidates(db: Db, id: number): { neighbours: number[]; cosines: number[] } {
  const neighbours: number[] = [];
  const cosines: number[] = [];
  // Pairs with `b = id` can be in any block, so every block is read.
  for (const block of candidateBlocks(db, 'all'))
    for (let i = 0; i < block.n; i++) {
      if (block.a[i] === id) {
        neighbours.push(block.b[i]);
        cosines.push(block.cosine[i]);
      } else if (block.b[i] === id) {
        neighbours.push(block.a[i]);
        cosines.push(block.cosine[i]);
      }
    }
  return { neighbours, cosines };
}

/** How many candidate edges are stored. */
export function countCandidates(db: Db): number {
  return db.prepare('SELECT coalesce(sum(n), 0) FROM candidate_blocks').pluck().get() as number;
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
  const maxId = maxTermId(db);
  const slots = maxId + 1;
  // A knowledge candidate (origin 'knowledge') ranks before every neighbour: its key is cosine + 2.
  let edges = 0;
  for (const block of candidateBlocks(db, 'all')) for (let i = 0; i < block.n; i++) if (block.cosine[i] >= minCosine || block.origin[i] === KNOWLEDGE) edges++;

  const ea = new Int32Array(edges);
  const eb = new Int32Array(edges);
  const ec = new Float32Array(edges);
  const degree = new Uint32Array(slots + 1);
  let e = 0;
  for (const block of candidateBlocks(db, 'all'))
    for (let i = 0; i < block.n; i++) {
      const knowledge = block.origin[i] === KNOWLEDGE;
      if (!(block.cosine[i] >= minCosine || knowledge)) continue;
      ea[e] = block.a[i];
      eb[e] = block.b[i];
      ec[e] = knowledge ? block.cosine[i] + 2 : block.cosine[i];
      degree[block.a[i] + 1]++;
      degree[block.b[i] + 1]++;
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

/** Each term's candidates with a larger id (term ids, ascending), as CSR indexed by term id: every pair once, under its first term. */
export interface CandidateSuccessors {
  /** Length maxTermId + 2 (1 when there are no pairs). */
  offsets: Uint32Array;
  successors: Int32Array;
  /** A view (no copy) of one term's successors; empty for unknown terms. */
  of(termId: number): Int32Array;
}

/**
 * Who is whose candidate, without cosines or ranking: what the evidence stage asks, and only
 * between the terms `keep` marks (by term id; all when absent). The blocks hold the pairs in (a, b)
 * order, so one pass lays them out under their first term as they come: each kept pair is held
 * once, as one id (and the list's room to grow). The evidence stage keeps the terms of its large
 * pattern groups, 15.7M of the 61.7M pairs of a 1M-term list. Both directions, as a CSR filled from
 * a list of the kept pairs, held each pair four times (16 bytes) and scattered it in a second pass:
 * on the 4.4M terms of the 5M-line bench:e2e list the read took 28.4 s of the evidence rules'
 * time under the profiler, and takes 9.8 s this way.
 */
export function readCandidateSuccessors(db: Db, keep?: Uint8Array): CandidateSuccessors {
  const maxId = maxTermId(db);
  const slots = maxId + 1;
  const successors = new GrowableInt32(1 << 16);
  const offsets = new Uint32Array(slots + 1);
  let last = -1;
  for (const block of candidateBlocks(db, 'pairs')) {
    const { a: as, b: bs, n } = block;
    for (let i = 0; i < n; i++) {
      const a = as[i];
      // A block is sorted by a: the run of a term not kept is skipped whole (an id past `keep` is not kept).
      if (keep !== undefined && keep[a] !== 1) {
        while (i + 1 < n && as[i + 1] === a) i++;
        continue;
      }
      const b = bs[i];
      if (keep !== undefined && keep[b] !== 1) continue;
      if (a < last) throw new StoreError(db.name, `candidate blocks out of order: term ${a} after ${last}`);
      // Terms between the last kept one and a have no successors: their lists end where a's begins.
      for (let t = last + 1; t <= a; t++) offsets[t] = successors.length;
      last = a;
      successors.push(b);
    }
  }
  for (let t = last + 1; t <= slots; t++) offsets[t] = successors.length;
  const list = successors.view();
  return {
    offsets,
    successors: list,
    of: (termId) => (termId >= 0 && termId < slots ? list.subarray(offsets[termId], offsets[termId + 1]) : new Int32Array(0)),
  };
}

/** A page of candidate pairs (term ids, a < b): the first `n` entries of `a` and `b`. */
export interface CandidatePairPage {
  a: Int32Array;
  b: Int32Array;
  n: number;
}

/**
 * Candidate pairs in (a, b) order in pages of `pageSize` pairs (the last one shorter), each in
 * arrays of its own that the caller may hand to a worker: the relations stage's scoring pass. The
 * blocks under a page are read whole before it is yielded, so the caller may write between pages.
 */
export function* candidatePairPages(db: Db, pageSize: number): Generator<CandidatePairPage> {
  if (!(Number.isInteger(pageSize) && pageSize > 0)) throw new RangeError(`page size ${pageSize} is not a positive integer`);
  let page: CandidatePairPage = { a: new Int32Array(pageSize), b: new Int32Array(pageSize), n: 0 };
  for (const block of candidateBlocks(db, 'pairs'))
    for (let from = 0; from < block.n; ) {
      const take = Math.min(block.n - from, pageSize - page.n);
      page.a.set(block.a.subarray(from, from + take), page.n);
      page.b.set(block.b.subarray(from, from + take), page.n);
      page.n += take;
      from += take;
      if (page.n === pageSize) {
        yield page;
        page = { a: new Int32Array(pageSize), b: new Int32Array(pageSize), n: 0 };
      }
    }
  if (page.n > 0) yield page;
}

/**
 * Candidate pairs in (a, b) order as pair keys (`a * base + b`), in pages of `pageSize` (the last
 * one shorter), read as candidatePairPages reads them. One number per pair, never an object: a
 * large build stores tens of millions of pairs. The discriminator's training sample is drawn in
 * this order, so changing it changes the model.
 */
export function* candidatePairKeyPages(db: Db, base: number, pageSize: number): Generator<Float64Array> {
  if (!Number.isSafeInteger(base) || base <= 0) throw new RangeError(`pair key base ${base} is not a positive integer`);
  for (const page of candidatePairPages(db, pageSize)) {
    const keys = new Float64Array(page.n);
    for (let i = 0; i < page.n; i++) {
      if (page.b[i] >= base) throw new RangeError(`term id ${page.b[i]} does not fit pair keys of base ${base}`);
      keys[i] = page.a[i] * base + page.b[i];
    }
    yield keys;
  }
}
