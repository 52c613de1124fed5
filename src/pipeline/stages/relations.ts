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
import type { BuildContext, StageDefinition } from '../stage.js';
import { loadBuiltinModel } from '../builtin-model.js';
import { prepareRelations, runRelationsStage, type RelationsPreparation, type RelationsStageOptions } from './relations-run.js';

/**
 * The stage's options for the run over the store. The embedder for words outside the term list is
 * made when they are embedded and closed right after: its workers hold the model, and at 928k
 * terms they stayed idle through scoring, 0.37 GiB of the stage's 1.63 GiB.
 */
function stageOptions({ db, options }: BuildContext, onProgress?: (done: number) => void): RelationsStageOptions {
  const choice = options.embedder;
  return {
    seed: options.split.seed,
    // Mined training pairs: in a held-out build only between train-split words (EVALUATION.md).
    mayLearnFrom: options.mode === 'holdout' ? (w) => !isHeldOut(w, options.split) : undefined,
    gate: options.relations.gate,
    threads: options.threads,
    crossEncoder: options.relations.crossEncoder,
    embedOutside: async (words) => {
      const embedder: Embedder =
        choice.backend === 'builtin'
          ? createBuiltinEmbedder(loadBuiltinModel(db), { threads: options.threads })
          : await createTransformersEmbedder({ modelDir: choice.modelDir, prefix: choice.prefix, threads: options.threads });
      try {
        return await embedder.embed(words);
      } finally {
        await embedder.close();
      }
    },
    onProgress,
  };
}

/**
 * Bytes a term of the preparation (the term table and the model's training) beside its vector:
 * alone it peaked at 12.8 GiB on the 12.6M terms of the 15M-line bench:e2e list, 1,090 bytes a
 * term, 512 of them the builtin embedder's 128 dimensions.
 */
const PREPARATION_BYTES_PER_TERM = 580;

export const relationsStage: StageDefinition = {
  name: 'relations',
  reads: ['candidates', 'knowledge', 'embed', 'evidence'],
  fingerprint: ({ options, upstream }) => [options.relations, options.split.seed, RELATION_MODEL_VERSION, TRAINING_VERSION, upstream('candidates'), upstream('knowledge'), upstream('embed'), upstream('evidence')],
  // The term table and the model read no evidence, and the table no candidates either: the table
  // is filled on a worker beside the candidates stage (whose work is on its kernel's threads), and
  // the model trained once the candidates are in, while the evidence stage's rules run in theirs.
  earlyAfter: ['knowledge', 'embed'],
  early: (ctx, signal) => prepareRelations(ctx.db, stageOptions(ctx), { signal, tableInWorker: true, candidates: ctx.over('candidates') }),
  earlyPeakBytes: ({ terms, dimensions }) => terms * (4 * dimensions + PREPARATION_BYTES_PER_TERM),
  run: async (ctx, early) => {
    const bar = ctx.progress('relations', countCandidates(ctx.db));
    const r = await runRelationsStage(ctx.db, stageOptions(ctx, (done) => bar.update(done)), early as Promise<RelationsPreparation> | undefined);
    bar.finish(r.scored);
    return r;
  },
};
