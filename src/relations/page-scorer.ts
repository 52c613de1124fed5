/**
 * What scores pages of candidate rows: the builtin model in worker threads, or an external ONNX
 * cross-encoder on the pairs' texts (its three relations plus the rest as unrelated).
 */
import type { RelationLabel } from '../types.js';
import { createCrossEncoder } from './cross-encoder.js';
import { CLASS_COUNT, UNRELATED, type RelationModel } from './model.js';
import { createScoringPool } from './pool.js';
import { termText, type TermTable } from './term-table.js';

export interface PageScorer {
  /** Class probabilities (CLASS_COUNT per pair) of the first `n` row pairs; takes ownership of `a` and `b`. */
  score(a: Int32Array, b: Int32Array, n: number): Promise<Float32Array>;
  /** Pages worth keeping in flight so that reading and writing overlap with scoring. */
  readonly depth: number;
  close(): Promise<void>;
}

export interface PageScorerOptions {
  threads?: number;
  crossEncoder?: { modelDir: string; labels?: Record<string, RelationLabel> };
}

export async function createPageScorer(model: RelationModel, table: TermTable, options: PageScorerOptions): Promise<PageScorer> {
  const crossEncoder = options.crossEncoder ? await createCrossEncoder({ modelDir: options.crossEncoder.modelDir, labels: options.crossEncoder.labels, threads: options.threads }) : null;
  if (!crossEncoder) {
    const pool = createScoringPool(model, table, options.threads);
    return { score: (a, b, n) => pool.score(a, b, n), depth: 2 * pool.threads, close: () => pool.close() };
  }
  return {
    depth: 2,
    async score(a, b, n) {
      const pairs: [string, string][] = [];
      for (let i = 0; i < n; i++) pairs.push([termText(table, a[i]), termText(table, b[i])]);
      const p3 = await crossEncoder.score(pairs);
      const pc = new Float32Array(n * CLASS_COUNT);
      for (let i = 0; i < n; i++) {
        pc[CLASS_COUNT * i] = p3[3 * i];
        pc[CLASS_COUNT * i + 1] = p3[3 * i + 1];
        pc[CLASS_COUNT * i + 2] = p3[3 * i + 2];
        pc[CLASS_COUNT * i + UNRELATED] = Math.max(0, 1 - p3[3 * i] - p3[3 * i + 1] - p3[3 * i + 2]);
      }
      return pc;
    },
    close: () => crossEncoder.close(),
  };
}
