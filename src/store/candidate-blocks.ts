/**
 * The candidate pairs' block layout (`candidate_blocks`, schema 9; src/store/candidates.ts says
 * why): writing sorted pairs as blocks and reading them back as typed arrays. Apart from the rest
 * of the store, so that the migration that converts old databases can use it.
 */
import { endianness } from 'node:os';
import type Database from 'better-sqlite3';
import { StoreError } from '../errors.js';

type Db = Database.Database;

/** Pairs per block: 100 KB a row, 113k rows at 15M terms; a lookup reads one block. */
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
  for (let start = 0; start < pairs.length; start += BLOCK_PAIRS) {
    const n = Math.min(BLOCK_PAIRS, pairs.length - start);
    const a = new Int32Array(n);
    const b = new Int32Array(n);
    const cosine = new Float32Array(n);
    const origin = new Uint8Array(n);
    let maxB = -1;
    for (let j = 0; j < n; j++) {
      const i = start + j;
      const x = pairs.a[i];
      const y = pairs.b[i];
      if (!(Number.isInteger(x) && Number.isInteger(y) && x >= 0 && y < 2 ** 31)) throw new RangeError(`candidate pair ${i} (${x}, ${y}): term ids must be integers in 0 .. 2^31 - 1`);
      if (!(x < y)) throw new RangeError(`candidate pair ${i} (${x}, ${y}) is not stored as a < b`);
      if (x < lastA || (x === lastA && y <= lastB)) throw new RangeError(`candidate pair ${i} (${x}, ${y}) repeats or precedes the pair before it (${lastA}, ${lastB}): pairs must be unique and in (a, b) order`);
      lastA = x;
      lastB = y;
      a[j] = x;
      b[j] = y;
      if (y > maxB) maxB = y;
      cosine[j] = pairs.cosine[i];
      const code = codes[pairs.origin?.[i] ?? 0];
      if (code === undefined) throw new RangeError(`candidate pair ${i} has origin ${pairs.origin?.[i]}, not an index of ${names.length} origin names`);
      origin[j] = code;
    }
    insert.run(seq++, n, a[0], b[0], a[n - 1], b[n - 1], maxB, bytes(a), bytes(b), bytes(cosine), bytes(origin));
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
    a: view(Int32Array, row.a, n),
    b: view(Int32Array, row.b, n),
    cosine: row.cosine ? view(Float32Array, row.cosine, n) : new Float32Array(0),
    origin: row.origin ? view(Uint8Array, row.origin, n) : new Uint8Array(0),
  };
}

