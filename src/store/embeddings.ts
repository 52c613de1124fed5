/** Term vectors in the store: one float32 blob per term, written per batch, read back as one matrix. */
import { StoreError } from '../errors.js';
import { adviseHugePages } from '../util/native-addon.js';
import { matrixTooLarge } from '../util/matrix-limit.js';
import type { Db } from './db.js';
import { rowInserter } from './row-insert.js';

export function clearEmbeddings(db: Db): void {
  db.prepare('DELETE FROM embeddings').run();
}

export function writeEmbeddings(db: Db, termIds: ArrayLike<number>, vectors: Float32Array, dims: number): void {
  const insert = rowInserter(db, 'INSERT OR REPLACE INTO embeddings(term_id, vector)', 2);
  db.transaction(() => {
    for (let i = 0; i < termIds.length; i++) insert.add(termIds[i], Buffer.from(vectors.buffer, vectors.byteOffset + i * dims * 4, dims * 4));
    insert.finish();
  })();
}

/** Rows a read of the whole matrix takes at once (see readEmbeddings). */
const READ_BATCH = 2048;

/**
 * All stored vectors in term-id order: `termIds[i]` owns row i of `vectors`. `shared` puts the
 * matrix on a SharedArrayBuffer, for stages that hand it to a worker thread without a copy.
 * `spareRows` leaves that many zero rows after the stored ones, for a caller that appends vectors
 * of its own without copying the matrix (the relations stage's words outside the term list).
 *
 * Read READ_BATCH rows a statement (`all`, from the last id on) and copied straight into the
 * matrix, where a row at a time (`iterate`) went through an aligned scratch row: at 928k terms of
 * 128 dimensions (warm cache), 4.0-5.6 s became 3.2-3.9 s, the two alternating in one process
 * (batches of 1,024 and 2,048 rows did alike, 65,536 worse). The matrix asks for huge pages before
 * it is written (native/memory.cc): 4.55-5.25 s against 4.75-5.71 s for a first read in a fresh
 * process, three alternating runs.
 */
export function readEmbeddings(db: Db, options: { shared?: boolean; spareRows?: number } = {}): { termIds: Int32Array; vectors: Float32Array; dimensions: number } {
  return withMappedFile(db, () => readAllEmbeddings(db, options));
}

/** SQLite's largest map unless compiled otherwise (SQLITE_MAX_MMAP_SIZE); a larger request is cut to it. */
const MAP_BYTES = 0x7fff0000;

/**
 * `body` with the database file memory-mapped, the connection's setting restored after it: a whole
 * read then copies pages out of the map instead of a pread call a page. A first read of 928k
 * vectors took 3.2-3.45 s so, 4.7-4.9 s without (three fresh processes each, alternating). Not left
 * on: mapped pages count in the process's resident size for as long as the map lasts.
 */
function withMappedFile<T>(db: Db, body: () => T): T {
  const before = db.pragma('mmap_size', { simple: true }) as number;
  db.pragma(`mmap_size = ${MAP_BYTES}`);
  try {
    return body();
  } finally {
    db.pragma(`mmap_size = ${before}`);
  }
}

function readAllEmbeddings(db: Db, options: { shared?: boolean; spareRows?: number }): { termIds: Int32Array; vectors: Float32Array; dimensions: number } {
  const n = countEmbeddings(db);
  const dimensions = storedDimensions(db);
  const termIds = new Int32Array(n);
  const vectors = embeddingMatrix(db, n + (options.spareRows ?? 0), dimensions, options.shared === true);
  const read = readVectorRange(db, -Infinity, Infinity, vectors, 0, n, dimensions, termIds);
  if (read !== n) throw new StoreError(db.name, `the embeddings changed while they were read: ${read} of ${n} vectors`);
  return { termIds, vectors, dimensions };
}

/**
 * A zeroed matrix of `rows` vectors, on a SharedArrayBuffer when `shared`; a StoreError when Node's
 * typed arrays cannot hold it (util/matrix-limit.ts).
 */
export function embeddingMatrix(db: Db, rows: number, dimensions: number, shared: boolean): Float32Array {
  const tooLarge = matrixTooLarge(rows, dimensions);
  if (tooLarge) throw new StoreError(db.name, tooLarge);
  const length = rows * dimensions;
  const vectors = shared ? new Float32Array(new SharedArrayBuffer(length * 4)) : new Float32Array(length);
  adviseHugePages(vectors);
  return vectors;
}

/**
 * The vectors of the terms with ids in (after, upTo], in id order, into `vectors` from row `row`,
 * at most `max` of them; their ids into `termIds` (from its start) when given. Returns how many
 * were read.
 */
function readVectorRange(db: Db, after: number, upTo: number, vectors: Float32Array, row: number, max: number, dimensions: number, termIds?: Int32Array): number {
  const batch = db.prepare('SELECT term_id, vector FROM embeddings WHERE term_id > ? AND term_id <= ? ORDER BY term_id LIMIT ?').raw();
  const bytes = dimensions * 4;
  let i = 0;
  for (let last = after; i < max; ) {
    const rows = batch.all(last, upTo, READ_BATCH) as [number, Buffer][];
    if (rows.length === 0) break;
    // A byte view of this batch's rows only: Node 20's typed arrays hold at most 2^32 elements,
    // and 12.6M terms of 128 dimensions are 6.4G bytes; a stored blob need not be 4-byte aligned.
    const into = new Uint8Array(vectors.buffer, (row + i) * bytes, Math.min(rows.length, max - i) * bytes);
    for (let j = 0; j < rows.length && i < max; j++, i++) {
      const [termId, vector] = rows[j];
      if (termIds) termIds[i] = termId;
      into.set(checkedVector(db, termId, vector, dimensions), j * bytes);
    }
    last = rows[rows.length - 1][0];
  }
  return i;
}

/**
 * Reads rows [from, to) of the matrix that readEmbeddings would read, given its term ids (from
 * readEmbeddedTermIds), on this connection with the file mapped: a second thread reads a share of
 * the vectors while the relations stage fills its term table (pipeline/vector-reader.ts). A
 * StoreError when the stored vectors are not those rows any more.
 */
export function readEmbeddingRows(db: Db, termIds: Int32Array, from: number, to: number, vectors: Float32Array, dimensions: number): void {
  withMappedFile(db, () => {
    const ids = new Int32Array(to - from);
    const read = readVectorRange(db, from === 0 ? -Infinity : termIds[from - 1], termIds[to - 1], vectors, from, to - from, dimensions, ids);
    for (let k = 0; k < ids.length; k++)
      if (k >= read || ids[k] !== termIds[from + k]) throw new StoreError(db.name, `the embeddings changed while they were read: row ${from + k} is not term ${termIds[from + k]}`);
  });
}

/**
 * Copies a term's stored vector into a row of `vectors`, after checking its dimensions. Through one
 * aligned row, not a byte view of the whole matrix: a stored blob need not be 4-byte aligned for a
 * Float32Array view of its own.
 */
function vectorCopier(db: Db, vectors: Float32Array, dimensions: number): (row: number, termId: number, vector: Buffer) => void {
  const scratch = new Float32Array(dimensions);
  const scratchBytes = new Uint8Array(scratch.buffer);
  return (row, termId, vector) => {
    scratchBytes.set(checkedVector(db, termId, vector, dimensions));
    vectors.set(scratch, row * dimensions);
  };
}

/** A stored vector when it holds `dimensions` floats; else a StoreError naming the database and the term. */
function checkedVector(db: Db, termId: number, vector: Buffer, dimensions: number): Buffer {
  if (vector.byteLength !== dimensions * 4) throw new StoreError(db.name, `embedding of term ${termId} has ${vector.byteLength / 4} dimensions, expected ${dimensions}`);
  return vector;
}

/** How many vectors are stored: 0.6 ms for the default build's 82k, where reading their ids took 25 ms. */
export function countEmbeddings(db: Db): number {
  return db.prepare('SELECT count(*) FROM embeddings').pluck().get() as number;
}

/** Dimensions of the stored vectors (of the first; every vector is checked as it is read), 0 when none. */
export function storedDimensions(db: Db): number {
  const first = db.prepare('SELECT length(vector) FROM embeddings LIMIT 1').pluck().get() as number | undefined;
  return first === undefined ? 0 : first / 4;
}

/** Ids of the embedded terms, ascending, and the vectors' dimensions, without the vectors. */
export function readEmbeddedTermIds(db: Db): { termIds: Int32Array; dimensions: number } {
  const termIds = new Int32Array(countEmbeddings(db));
  let i = 0;
  for (const id of db.prepare('SELECT term_id FROM embeddings ORDER BY term_id').pluck().iterate() as IterableIterator<number>) termIds[i++] = id;
  return { termIds, dimensions: storedDimensions(db) };
}

/** The stored vectors of `termIds` (any order, repeats allowed), row after row; a term without one is an error. */
export function readEmbeddingsOf(db: Db, termIds: ArrayLike<number>): Float32Array {
  const dimensions = storedDimensions(db);
  const get = db.prepare('SELECT vector FROM embeddings WHERE term_id = ?').pluck();
  const out = new Float32Array(termIds.length * dimensions);
  const copy = vectorCopier(db, out, dimensions);
  for (let i = 0; i < termIds.length; i++) {
    const vector = get.get(termIds[i]) as Buffer | undefined;
    if (!vector) throw new StoreError(db.name, `term ${termIds[i]} has no stored embedding: the database is incomplete (rebuild it)`);
    copy(i, termIds[i], vector);
  }
  return out;
}
