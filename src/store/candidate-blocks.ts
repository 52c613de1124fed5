/**
 * The candidate pairs' block layout (`candidate_blocks`, schemas 9 and 10; src/store/candidates.ts
 * says why): writing sorted pairs as blocks and reading them back as typed arrays. Apart from the
 * rest of the store, so that the migration that converts old databases can use it.
 *
 * Schema 10 stores two columns shorter, and reads schema 9's blocks as they are: `a` as runs of
 * one term id (runsOf) when there are fewer than n / 2 of them, and `origin` empty when every pair
 * is 'knn'. On the 1M-line bench:e2e list (61.7M pairs) the blocks went from 802 to 518 MB.
 */
import { endianness } from 'node:os';
import type Database from 'better-sqlite3';
import { StoreError } from '../errors.js';

type Db = Database.Database;

/** Pairs per block: ~66 KB a row, 133k rows at 15M terms; a lookup reads one block. */
const BLOCK_PAIRS = 8192;
/** Blocks read per statement while paging. */
const BLOCKS_PER_READ = 16;
/** The origin column's codes: why a pair is a candidate (the embedding's neighbours, or the knowledge). */
export const STORED_ORIGINS = ['knn', 'knowledge'] as const;
/** The code of 'knowledge' in STORED_ORIGINS. */
export const KNOWLEDGE = STORED_ORIGINS.indexOf('knowledge');

/** Pairs to store: term ids, a < b, unique and in (a, b) order, with their cosines and origins. */
export interface CandidateRows {
  a: ArrayLike<number>;
  b: ArrayLike<number>;
  cosine: ArrayLike<number>;
  /** Each pair's origin as an index into `originNames` (all `knn` when absent). */
  origin?: ArrayLike<number>;
  originNames?: readonly string[];
  length: number;
}

/** One block of pairs as typed arrays. */
export interface CandidateBlock {
  n: number;
  a: Int32Array;
  b: Int32Array;
  cosine: Float32Array;
  origin: Uint8Array;
}

export function littleEndian(db: Db): void {
  // The blocks are typed arrays' bytes; a big-endian machine would read them wrongly.
  if (endianness() !== 'LE') throw new StoreError(db.name, 'candidate blocks are little-endian; this machine is big-endian');
}

/** A typed view of a blob (a copy when the blob is not aligned to the element size). */
function view<T extends Int32Array | Float32Array | Uint8Array>(Ctor: { new (buffer: ArrayBufferLike, offset: number, length: number): T; new (length: number): T; BYTES_PER_ELEMENT: number }, blob: Buffer, n: number): T {
  const size = Ctor.BYTES_PER_ELEMENT;
  if (blob.byteLength !== n * size) throw new RangeError(`candidate block column of ${blob.byteLength} bytes for ${n} pairs`);
  if (blob.byteOffset % size === 0) return new Ctor(blob.buffer, blob.byteOffset, n);
  const out = new Ctor(n);
  new Uint8Array(out.buffer).set(blob);
  return out;
}

const bytes = (x: Int32Array | Float32Array | Uint8Array): Buffer => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
const EMPTY = Buffer.alloc(0);

/**
 * A block's sorted `a` column as `runs` pairs (term id, count): a term has tens of pairs (87 at
 * 15M terms), so its id is stored once instead of 4 bytes a pair.
 */
function runsOf(a: Int32Array, runs: number): Int32Array {
  const out = new Int32Array(2 * runs);
  let k = -2;
  for (let j = 0; j < a.length; j++) {
    if (j === 0 || a[j] !== a[j - 1]) {
      k += 2;
      out[k] = a[j];
    }
    out[k + 1]++;
  }
  return out;
}

/** The `a` column back from its blob: n term ids as stored, or their runs (runsOf) when shorter. */
function firstIds(blob: Buffer, n: number): Int32Array {
  if (blob.byteLength === 4 * n) return view(Int32Array, blob, n);
  if (blob.byteLength % 8 !== 0 || blob.byteLength > 4 * n) throw new RangeError(`candidate block column a of ${blob.byteLength} bytes for ${n} pairs`);
  const runs = view(Int32Array, blob, blob.byteLength >>> 2);
  const a = new Int32Array(n);
  let j = 0;
  for (let k = 0; k < runs.length; k += 2) {
    const count = runs[k + 1];
    if (count <= 0 || j + count > n) throw new RangeError(`candidate block column a: a run of ${count} at pair ${j} of ${n}`);
    a.fill(runs[k], j, j + count);
    j += count;
  }
  if (j !== n) throw new RangeError(`candidate block column a: runs of ${j} pairs for ${n}`);
  return a;
}

/**
 * Term ids `start .. start + n` of a column: a view of an Int32Array, else checked (integers in
 * 0 .. 2^31 - 1) and copied into `scratch`. The caller checks an Int32Array's signs.
 */
function termIds(ids: ArrayLike<number>, start: number, n: number, scratch: Int32Array): Int32Array {
  if (ids instanceof Int32Array) return ids.subarray(start, start + n);
  const out = scratch.subarray(0, n);
  for (let j = 0; j < n; j++) {
    const v = ids[start + j];
    if (!(Number.isInteger(v) && v >= 0 && v < 2 ** 31)) throw new RangeError(`candidate pair ${start + j}: term id ${v} is not an integer in 0 .. 2^31 - 1`);
    out[j] = v;
  }
  return out;
}

/**
 * Writes sorted, unique pairs as blocks (no DELETE: the caller owns the transaction), after the
 * pair `after` (of an earlier call: pairs written in chunks stay in order). Returns the last pair.
 */
export function insertCandidateBlocks(db: Db, pairs: CandidateRows, after: readonly [number, number] = [-1, -1]): [number, number] {
  littleEndian(db);
  const names = pairs.originNames ?? ['knn'];
  const codes = names.map((name) => {
    const code = (STORED_ORIGINS as readonly string[]).indexOf(name);
    if (code < 0) throw new RangeError(`unknown candidate origin '${name}' (known: ${STORED_ORIGINS.join(', ')})`);
    return code;
  });
  const insert = db.prepare('INSERT INTO candidate_blocks(seq, n, first_a, first_b, last_a, last_b, max_b, a, b, cosine, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  let seq = (db.prepare('SELECT coalesce(max(seq), -1) FROM candidate_blocks').pluck().get() as number) + 1;
  let [lastA, lastB] = after;
  // Typed columns are read in place; others are copied, a block at a time, into these (SQLite
  // copies a bound blob). Rewriting the 61.7M pairs of the 1M-line bench:e2e list took 5.3-5.4 s
  // so, 6.0-6.5 s with every column copied into a new block (8.5-9.0 s before runs of `a`).
  const scratch = { a: new Int32Array(BLOCK_PAIRS), b: new Int32Array(BLOCK_PAIRS), cosine: new Float32Array(BLOCK_PAIRS), origin: new Uint8Array(BLOCK_PAIRS) };
  for (let start = 0; start < pairs.length; start += BLOCK_PAIRS) {
    const n = Math.min(BLOCK_PAIRS, pairs.length - start);
    const a = termIds(pairs.a, start, n, scratch.a);
    const b = termIds(pairs.b, start, n, scratch.b);
    let cosine: Float32Array;
    if (pairs.cosine instanceof Float32Array) cosine = pairs.cosine.subarray(start, start + n);
    else {
      cosine = scratch.cosine.subarray(0, n);
      for (let j = 0; j < n; j++) cosine[j] = pairs.cosine[start + j];
    }
    const origin = scratch.origin;
    let maxB = -1;
    let runs = 0;
    let mixed = false;
    for (let j = 0; j < n; j++) {
      const x = a[j];
      const y = b[j];
      if (!(x < y)) throw new RangeError(`candidate pair ${start + j} (${x}, ${y}) is not stored as a < b`);
      if (x < 0) throw new RangeError(`candidate pair ${start + j} (${x}, ${y}): term ids must be integers in 0 .. 2^31 - 1`);
      if (x < lastA || (x === lastA && y <= lastB)) throw new RangeError(`candidate pair ${start + j} (${x}, ${y}) repeats or precedes the pair before it (${lastA}, ${lastB}): pairs must be unique and in (a, b) order`);
      if (j === 0 || x !== lastA) runs++;
      lastA = x;
      lastB = y;
      if (y > maxB) maxB = y;
      const code = codes[pairs.origin?.[start + j] ?? 0];
      if (code === undefined) throw new RangeError(`candidate pair ${start + j} has origin ${pairs.origin?.[start + j]}, not an index of ${names.length} origin names`);
      origin[j] = code;
      if (code !== 0) mixed = true;
    }
    insert.run(seq++, n, a[0], b[0], a[n - 1], b[n - 1], maxB, bytes(2 * runs < n ? runsOf(a, runs) : a), bytes(b), bytes(cosine), mixed ? bytes(origin.subarray(0, n)) : EMPTY);
  }
  return [lastA, lastB];
}

export type BlockRow = { seq: number; n: number; a: Buffer; b: Buffer; cosine?: Buffer; origin?: Buffer };

/**
 * The stored blocks in (a, b) order, `BLOCKS_PER_READ` read whole at a time, so the caller may
 * write on the same connection between blocks. `columns: 'pairs'` leaves cosine and origin empty.
 */
export function* candidateBlocks(db: Db, columns: 'pairs' | 'all' = 'all'): Generator<CandidateBlock> {
  littleEndian(db);
  const page = db.prepare(`SELECT seq, n, a, b${columns === 'all' ? ', cosine, origin' : ''} FROM candidate_blocks WHERE seq > ? ORDER BY seq LIMIT ${BLOCKS_PER_READ}`);
  let last = -1;
  for (;;) {
    const rows = page.all(last) as BlockRow[];
    if (rows.length === 0) return;
    for (const row of rows) yield blockOf(row);
    last = rows[rows.length - 1].seq;
  }
}

export function blockOf(row: BlockRow): CandidateBlock {
  const n = row.n;
  return {
    n,
    a: firstIds(row.a, n),
    b: view(Int32Array, row.b, n),
    cosine: row.cosine ? view(Float32Array, row.cosine, n) : new Float32Array(0),
    // An empty origin column: every pair is the embedding's ('knn', code 0).
    origin: row.origin ? (row.origin.byteLength === 0 ? new Uint8Array(n) : view(Uint8Array, row.origin, n)) : new Uint8Array(0),
  };
}

