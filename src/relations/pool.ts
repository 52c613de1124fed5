/**
 * Scoring candidate pairs in piscina workers. The term table lives on SharedArrayBuffers, so every
 * worker reads the same memory (views of 4 GiB or more go packed: src/util/large-views.ts); tasks
 * carry only pair rows and return probabilities (moved, not copied). Batches are kept in flight
 * two per thread so the main thread's SQLite reads and writes overlap with scoring.
 */
import { workerPool } from '../util/pool.js';
import { defaultThreads, workerFile } from '../util/workers.js';
import type { RelationModel } from './model.js';
import type { TermTable } from './term-table.js';
import { termProjections } from './score.js';
import { packViews } from '../util/large-views.js';

export interface ScoringPool {
  score(a: Int32Array, b: Int32Array, n: number): Promise<Float32Array>;
  readonly threads: number;
  close(): Promise<void>;
}

export function createScoringPool(model: RelationModel, table: TermTable, threads?: number): ScoringPool {
  const n = defaultThreads(threads);
  const pool = workerPool(workerFile('relations'), { name: 'scoreBatch', minThreads: n, maxThreads: n, workerData: packViews({ model, table, projections: termProjections(model, table) }) });
  return {
    threads: n,
    score: (a, b, count) => pool.run<Float32Array>({ a, b, n: count }, { transferList: [a.buffer as ArrayBuffer, b.buffer as ArrayBuffer] }),
    close: () => pool.destroy(),
  };
}
