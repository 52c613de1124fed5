/**
 * Scoring candidate pairs in piscina workers. The term table lives on SharedArrayBuffers, so every
 * worker reads the same memory (views of 4 GiB or more go packed: src/util/large-views.ts); tasks
 * carry only pairs and return probabilities (moved, not copied) or the verdicts to store. Batches
 * are kept in flight two per thread so the main thread's SQLite reads and writes overlap with scoring.
 */
import { workerPool } from '../util/pool.js';
import { defaultThreads, workerFile } from '../util/workers.js';
import type { RelationModel } from './model.js';
import type { TermTable } from './term-table.js';
import { termProjections } from './score.js';
import type { Verdicts } from './verdicts.js';
import { packViews } from '../util/large-views.js';

/** A page of candidate pairs' verdicts (see modelVerdicts) and how many of its pairs were scored. */
export interface PageVerdicts {
  verdicts: Verdicts;
  scored: number;
}

export interface ScoringPool {
  /** Class probabilities of the first `n` pairs of table rows; takes ownership of `a` and `b`. */
  score(a: Int32Array, b: Int32Array, n: number): Promise<Float32Array>;
  /** The verdicts (gate, floor: modelVerdicts) on the first `n` pairs of term ids; takes ownership of `a` and `b`. */
  verdicts(a: Int32Array, b: Int32Array, n: number, gate: number, floor: number): Promise<PageVerdicts>;
  readonly threads: number;
  close(): Promise<void>;
}

export function createScoringPool(model: RelationModel, table: TermTable, threads?: number): ScoringPool {
  const n = defaultThreads(threads);
  const pool = workerPool(workerFile('relations'), { name: 'scoreBatch', minThreads: n, maxThreads: n, workerData: packViews({ model, table, projections: termProjections(model, table) }) });
  return {
    threads: n,
    score: (a, b, count) => pool.run<Float32Array>({ a, b, n: count }, { transferList: [a.buffer as ArrayBuffer, b.buffer as ArrayBuffer] }),
    verdicts: (a, b, count, gate, floor) => pool.run<PageVerdicts>({ a, b, n: count, gate, floor }, { name: 'verdictBatch', transferList: [a.buffer as ArrayBuffer, b.buffer as ArrayBuffer] }),
    close: () => pool.destroy(),
  };
}
