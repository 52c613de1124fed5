/**
 * Piscina worker: trains the builtin embedder off the main thread. The returned model's arrays
 * live in SharedArrayBuffers, so handing the model back costs no copy.
 */
import { trainBuiltinEmbedder, type BuiltinTrainingOptions } from '../src/embed/builtin/index.js';

export async function train(options: BuiltinTrainingOptions): ReturnType<typeof trainBuiltinEmbedder> {
  return trainBuiltinEmbedder(options);
}
