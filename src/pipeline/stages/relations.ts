/**
 * The relations stage's adapter: trains the discriminator on the build's knowledge and labels
 * every candidate pair (relations-run.ts, over src/relations). Words that labelled pairs mention
 * but the term list lacks get vectors from the build's own embedder, loaded only when there are
 * such words (a KeNet-vocabulary build has none).
 */
import { createBuiltinEmbedder, createTransformersEmbedder, type Embedder } from '../../embed/index.js';
import { RELATION_MODEL_VERSION, TRAINING_VERSION } from '../../relations/index.js';
import { isHeldOut } from '../../split.js';
import { countCandidates } from '../../store/index.js';
import type { StageDefinition } from '../stage.js';
import { loadBuiltinModel } from '../builtin-model.js';
import { runRelationsStage } from './relations-run.js';

export const relationsStage: StageDefinition = {
  name: 'relations',
  reads: ['candidates', 'knowledge', 'embed', 'evidence'],
  fingerprint: ({ options, upstream }) => [options.relations, options.split.seed, RELATION_MODEL_VERSION, TRAINING_VERSION, upstream('candidates'), upstream('knowledge'), upstream('embed'), upstream('evidence')],
  run: async ({ db, options, progress }) => {
    const bar = progress('relations', countCandidates(db));
    const choice = options.embedder;
    const lazy: { embedder: Embedder | null } = { embedder: null };
    try {
      const r = await runRelationsStage(db, {
        seed: options.split.seed,
        // Mined training pairs: in a held-out build only between train-split words (EVALUATION.md).
        mayLearnFrom: options.mode === 'holdout' ? (w) => !isHeldOut(w, options.split) : undefined,
        gate: options.relations.gate,
        threads: options.threads,
        crossEncoder: options.relations.crossEncoder,
        // Closed once the words are embedded, not when the stage ends: its workers hold the model,
        // and at 928k terms they stayed idle through scoring, 0.37 GiB of the stage's 1.63 GiB.
        embedOutside: async (words) => {
          lazy.embedder ??=
            choice.backend === 'builtin'
              ? createBuiltinEmbedder(loadBuiltinModel(db), { threads: options.threads })
              : await createTransformersEmbedder({ modelDir: choice.modelDir, prefix: choice.prefix, threads: options.threads });
          try {
            return await lazy.embedder.embed(words);
          } finally {
            await lazy.embedder.close();
            lazy.embedder = null;
          }
        },
        onProgress: (done) => bar.update(done),
      });
      bar.finish(r.scored);
      return r;
    } finally {
      await lazy.embedder?.close();
    }
  },
};
