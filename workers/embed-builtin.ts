/** Piscina worker: encodes batches of terms with the builtin model shared through workerData. */
import { move, workerData } from 'piscina';
import { BuiltinEncoder, type BuiltinModel } from '../src/embed/builtin/model.js';

const encoder = new BuiltinEncoder((workerData as { model: BuiltinModel }).model);

export function embedBatch(terms: string[]): Float32Array {
  return move(encoder.encodeAll(terms)) as Float32Array;
}
