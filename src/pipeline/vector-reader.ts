/**
 * The relations stage's vectors read on a second thread while its term table is filled. The read
 * (a Buffer per stored blob, copied into the matrix) took 18-25 s of the preparation at 4.4M terms
 * on the build's thread, before the table's filler began; a worker with a read connection of its
 * own reads them in ranges of rows while the filler reads the terms (util/task-helper.ts: the
 * filler waits once, and reads itself whatever ranges the worker did not). The table is the same.
 */
import { countEmbeddings, embeddingMatrix, readEmbeddedTermIds, readEmbeddingRows, type Db } from '../store/index.js';
import { TaskHelper } from '../util/task-helper.js';

/** Rows a task reads: the waiting filler sees the worker's progress range by range (it gives up on one silent for 30 s). */
const TASK_ROWS = 131_072;

/** Stored vectors from which they are read on a second thread by default: its start (~0.3 s) is then a small share. */
export const VECTOR_READER_ROWS = 500_000;

/** What the reader's worker is started with. */
export interface VectorReaderData {
  file: string;
  termIds: Int32Array;
  vectors: Float32Array;
  dimensions: number;
}

/** Rows [from, to) of the matrix. */
export interface VectorRange {
  from: number;
  to: number;
}

export interface VectorReader {
  /** The stored terms' ids and their matrix (`spareRows` zero rows after them), filled once `finish` returns. */
  embeddings: { termIds: Int32Array; vectors: Float32Array; dimensions: number };
  /** Waits for the worker, reads what it did not; returns how many rows that was. */
  finish(): number;
  /** Stops the worker, for a table that will not be finished. */
  close(): void;
}

/**
 * Starts reading every stored vector into a shared matrix on a second thread, when the database is
 * a file and holds at least `minRows` vectors; else null (the caller reads them itself).
 */
export function readVectorsBeside(db: Db, spareRows: number, minRows = VECTOR_READER_ROWS): VectorReader | null {
  // Counted first: a small list's ids would be read for nothing.
  if (db.memory || countEmbeddings(db) < Math.max(1, minRows)) return null;
  const { termIds, dimensions } = readEmbeddedTermIds(db);
  const vectors = embeddingMatrix(db, termIds.length + spareRows, dimensions, true);
  const data: VectorReaderData = { file: db.name, termIds, vectors, dimensions };
  const helper = new TaskHelper<VectorRange, VectorRange>('vectors', data);
  for (let from = 0; from < termIds.length; from += TASK_ROWS) {
    const range = { from, to: Math.min(termIds.length, from + TASK_ROWS) };
    helper.post(range, range.to - range.from, range);
  }
  return {
    embeddings: { termIds, vectors, dimensions },
    finish: () => {
      let here = 0;
      for (const { from, to } of helper.finish().left) {
        readEmbeddingRows(db, termIds, from, to, vectors, dimensions);
        here += to - from;
      }
      return here;
    },
    close: () => helper.close(),
  };
}
