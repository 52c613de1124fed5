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
  const bytes = new Uint8Array(vectors.buffer);
  let i = 0;
  for (const row of db.prepare('SELECT term_id, vector FROM embeddings ORDER BY term_id').raw().iterate() as IterableIterator<[number, Buffer]>) {
    termIds[i] = row[0];
    copyVector(bytes, i, row[0], row[1], dimensions);
    i++;
  }
  return { termIds, vectors, dimensions };
}

/** Copies term `termId`'s stored vector into row `row` of `bytes`, after checking its dimensions. */
function copyVector(bytes: Uint8Array, row: number, termId: number, vector: Buffer, dimensions: number): void {
  if (vector.byteLength !== dimensions * 4) throw new Error(`embedding of term ${termId} has ${vector.byteLength / 4} dimensions, expected ${dimensions}`);
  bytes.set(vector, row * dimensions * 4);
}

/** Dimensions of the stored vectors (of the first; every vector is checked as it is read), 0 when none. */
function storedDimensions(db: Db): number {
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
  const bytes = new Uint8Array(out.buffer);
  for (let i = 0; i < termIds.length; i++) {
    const vector = get.get(termIds[i]) as Buffer | undefined;
    if (!vector) throw new Error(`term ${termIds[i]} has no stored embedding`);
    copyVector(bytes, i, termIds[i], vector, dimensions);
  }
  return out;
}
