/** Piscina worker: scores batches of candidate pairs with the relation model shared through workerData. */
import { move, workerData } from 'piscina';
import type { PageVerdicts } from '../src/relations/pool.js';
import { PairScorer } from '../src/relations/score.js';
import { candidateRows, modelVerdicts } from '../src/relations/verdicts.js';
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

/**
 * The verdicts on a page of candidate pairs (term ids): rows, scores, gate and floor here, so the
 * main thread only writes what is stored. At 12.6M terms (1.09 billion pairs, a few hundred
 * thousand stored) it did the rows and the verdicts itself and held both workers at about half load.
 */
export function verdictBatch(task: { a: Int32Array; b: Int32Array; n: number; gate: number; floor: number }): PageVerdicts {
  const page = candidateRows(table, task.a, task.b, task.n);
  const out = new Float32Array(page.n * CLASS_COUNT);
  scorer.scoreRows(page.a, page.b, page.n, out);
  return { verdicts: modelVerdicts(page, out, task.gate, task.floor), scored: page.n };
}
