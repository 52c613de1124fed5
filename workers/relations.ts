/** Piscina worker: scores batches of candidate pairs (table rows) with the relation model shared through workerData. */
import { move, workerData } from 'piscina';
import { PairScorer } from '../src/relations/score.js';
import { CLASS_COUNT, type RelationModel } from '../src/relations/model.js';
import type { TermTable } from '../src/relations/term-table.js';
import { unpackViews } from '../src/util/large-views.js';

const { model, table, projections } = unpackViews(workerData) as { model: RelationModel; table: TermTable; projections: Float32Array };
const scorer = new PairScorer(model, table, projections);

export function scoreBatch(task: { a: Int32Array; b: Int32Array; n: number }): Float32Array {
  const out = new Float32Array(task.n * CLASS_COUNT);
  scorer.scoreRows(task.a, task.b, task.n, out);
  return move(out) as Float32Array;
}
