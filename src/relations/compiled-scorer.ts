/**
 * The relation scorer's compiled pair loop (native/relations.cc in the addon of
 * util/native-addon.ts), typed: per pair of table rows the model's five logits, the JS's to the
 * bit (test/relations-native.test.ts); score.ts takes the softmax from there. Where the addon was
 * not built, score.ts's JS loop gives the same probabilities.
 */
import { addonWith } from '../util/native-addon.js';
import { cueConstants } from './features.js';
import type { RelationModel } from './model.js';
import type { TermTable } from './term-table.js';

interface RelationsAddon {
  /** A handle on the table, its knowledge and the model, checked once and held by reference. */
  relationScorer(table: TermTable, knowledge: TermTable['knowledge'], model: { weights: Float32Array; bias: Float32Array; projections: Float32Array; withProduct: boolean }, layout: Int32Array): object;
  /** The logits of the first n pairs (a[i], b[i]) into logits[5 i .. 5 i + 5). */
  relationLogits(handle: object, a: Int32Array, b: Int32Array, n: number, logits: Float64Array): void;
}

export function relationsAddon(): RelationsAddon | null {
  return addonWith<RelationsAddon>(['relationScorer', 'relationLogits']);
}

/** The compiled logits of a pair model over a table; null without the addon. */
export function compiledLogits(model: RelationModel, table: TermTable, projections: Float32Array, withProduct: boolean): ((a: Int32Array, b: Int32Array, n: number, logits: Float64Array) => void) | null {
  const addon = relationsAddon();
  if (!addon) return null;
  const handle = addon.relationScorer(table, table.knowledge, { weights: model.weights, bias: model.bias, projections, withProduct }, cueConstants());
  return (a, b, n, logits) => addon.relationLogits(handle, a, b, n, logits);
}
