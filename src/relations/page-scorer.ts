/**
 * What gives the verdicts on pages of candidate pairs: the builtin model in worker threads (rows,
 * scores and verdicts all there), or an external ONNX cross-encoder on the pairs' texts (its three
 * relations plus the rest as unrelated).
 */
import type { RelationLabel } from '../types.js';
import { createCrossEncoder } from './cross-encoder.js';
import { CLASS_COUNT, UNRELATED, type RelationModel } from './model.js';
import { createScoringPool, type PageVerdicts } from './pool.js';
import { termText, type TermTable } from './term-table.js';
import { candidateRows, modelVerdicts } from './verdicts.js';

export type { PageVerdicts } from './pool.js';

export interface PageScorer {
  /** The verdicts on the first `n` candidate pairs (term ids) at the scorer's gate and floor; takes ownership of `a` and `b`. */
  verdicts(a: Int32Array, b: Int32Array, n: number): Promise<PageVerdicts>;
  /** Pages worth keeping in flight so that reading and writing overlap with scoring. */
  readonly depth: number;
  close(): Promise<void>;
}

export interface PageScorerOptions {
  /** P(synonym) needed for a synonym edge, and P(antonym) for a cannot-link. */
  gate: number;
  /** The floor under which a model verdict is counted, not stored (verdictFloor; 0: every verdict). */
  floor: number;
  threads?: number;
  crossEncoder?: { modelDir: string; labels?: Record<string, RelationLabel> };
}

export async function createPageScorer(model: RelationModel, table: TermTable, options: PageScorerOptions): Promise<PageScorer> {
  const { gate, floor } = options;
  const crossEncoder = options.crossEncoder ? await createCrossEncoder({ modelDir: options.crossEncoder.modelDir, labels: options.crossEncoder.labels, threads: options.threads }) : null;
  if (!crossEncoder) {
    const pool = createScoringPool(model, table, options.threads);
    return { verdicts: (a, b, n) => pool.verdicts(a, b, n, gate, floor), depth: 2 * pool.threads, close: () => pool.close() };
  }
  return {
    depth: 2,
    async verdicts(a, b, n) {
      const page = candidateRows(table, a, b, n);
      const pairs: [string, string][] = [];
      for (let i = 0; i < page.n; i++) pairs.push([termText(table, page.a[i]), termText(table, page.b[i])]);
      const p3 = page.n === 0 ? new Float32Array(0) : await crossEncoder.score(pairs);
      const pc = new Float32Array(page.n * CLASS_COUNT);
      for (let i = 0; i < page.n; i++) {
        pc[CLASS_COUNT * i] = p3[3 * i];
        pc[CLASS_COUNT * i + 1] = p3[3 * i + 1];
        pc[CLASS_COUNT * i + 2] = p3[3 * i + 2];
        pc[CLASS_COUNT * i + UNRELATED] = Math.max(0, 1 - p3[3 * i] - p3[3 * i + 1] - p3[3 * i + 2]);
      }
      return { verdicts: modelVerdicts(page, pc, gate, floor), scored: page.n };
    },
    close: () => crossEncoder.close(),
  };
}
