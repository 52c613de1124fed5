/** Term vectors in the store: one float32 blob per term, written per batch, read back as one matrix. */
import type { Db } from './db.js';

export function clearEmbeddings(db: Db): void {
  db.prepare('DELETE FROM embeddings').run();
}

export function writeEmbeddings(db: Db, termIds: ArrayLike<number>, vectors: Float32Array, dims: number): void {
  const insert = db.prepare('INSERT OR REPLACE INTO embeddings(term_id, vector) VALUES (?, ?)');
  db.transaction(() => {
    for (let i = 0; i < termIds.length; i++) insert.run(termIds[i], Buffer.from(vectors.buffer, vectors.byteOffset + i * dims * 4, dims * 4));
  })();
}

/**
 * All stored vectors in term-id order: `termIds[i]` owns row i of `vectors`. `shared` puts the
 * matrix on a SharedArrayBuffer, for stages that hand it to a worker thread without a copy.
 * `spareRows` leaves that many zero rows after the stored ones, for a caller that appends vectors
 * of its own without copying the matrix (the relations stage's words outside the term list).
 */
export function readEmbeddings(db: Db, options: { shared?: boolean; spareRows?: number } = {}): { termIds: Int32Array; vectors: Float32Array; dimensions: number } {
  const n = db.prepare('SELECT count(*) FROM embeddings').pluck().get() as number;
  const dimensions = storedDimensions(db);
  const termIds = new Int32Array(n);
  const length = (n + (options.spareRows ?? 0)) * dimensions;
  const vectors = options.shared ? new Float32Array(new SharedArrayBuffer(length * 4)) : new Float32Array(length);
  const copy = vectorCopier(vectors, dimensions);
  let i = 0;
  for (const row of db.prepare('SELECT term_id, vector FROM embeddings ORDER BY term_id').raw().iterate() as IterableIterator<[number, Buffer]>) {
    termIds[i] = row[0];
    copy(i, row[0], row[1]);
    i++;
  }
  return { termIds, vectors, dimensions };
}

/**
 * Copies a term's stored vector into a row of `vectors`, after checking its dimensions. Through one
 * aligned row, not a byte view of the whole matrix: Node 20's typed arrays hold at most 2^32
 * elements, and 12.6M terms of 128 dimensions are 6.4G bytes (the 15M-line bench:e2e list failed
 * there); a stored blob need not be 4-byte aligned for a Float32Array view of its own.
 */
function vectorCopier(vectors: Float32Array, dimensions: number): (row: number, termId: number, vector: Buffer) => void {
  const scratch = new Float32Array(dimensions);
  const scratchBytes = new Uint8Array(scratch.buffer);
  return (row, termId, vector) => {
    if (vector.byteLength !== dimensions * 4) throw new Error(`embedding of term ${termId} has ${vector.byteLength / 4} dimensions, expected ${dimensions}`);
    scratchBytes.set(vector);
    vectors.set(scratch, row * dimensions);
  };
}

/** Dimensions of the stored vectors (of the first; every vector is checked as it is read), 0 when none. */
export function storedDimensions(db: Db): number {
  const first = db.prepare('SELECT length(vector) FROM embeddings LIMIT 1').pluck().get() as number | undefined;
  return first === undefined ? 0 : first / 4;
}

/** Ids of the embedded terms, ascending, and the vectors' dimensions, without the vectors. */
export function readEmbeddedTermIds(db: Db): { termIds: Int32Array; dimensions: number } {
  const termIds = new Int32Array(db.prepare('SELECT count(*) FROM embeddings').pluck().get() as number);
  let i = 0;
  for (const id of db.prepare('SELECT term_id FROM embeddings ORDER BY term_id').pluck().iterate() as IterableIterator<number>) termIds[i++] = id;
  return { termIds, dimensions: storedDimensions(db) };
}

/** The stored vectors of `termIds` (any order, repeats allowed), row after row; a term without one is an error. */
export function readEmbeddingsOf(db: Db, termIds: ArrayLike<number>): Float32Array {
  const dimensions = storedDimensions(db);
  const get = db.prepare('SELECT vector FROM embeddings WHERE term_id = ?').pluck();
  const out = new Float32Array(termIds.length * dimensions);
  const copy = vectorCopier(out, dimensions);
  for (let i = 0; i < termIds.length; i++) {
    const vector = get.get(termIds[i]) as Buffer | undefined;
    if (!vector) throw new Error(`term ${termIds[i]} has no stored embedding`);
    copy(i, termIds[i], vector);
  }
  return out;
}
