/** Helper thread of the relations stage's term table: reads ranges of the stored vectors (src/pipeline/vector-reader.ts). */
import type { VectorRange, VectorReaderData } from '../src/pipeline/vector-reader.js';
import { serveTasks } from '../src/util/task-helper.js';

serveTasks<VectorReaderData, VectorRange>(async ({ file, termIds, vectors, dimensions }) => {
  const { openDb, readEmbeddingRows } = await import('../src/store/index.js');
  const db = openDb(file, { readonly: true });
  return ({ from, to }) => {
    readEmbeddingRows(db, termIds, from, to, vectors, dimensions);
    return to - from;
  };
});
