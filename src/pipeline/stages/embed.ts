/**
 * The embed stage: the builtin embedder trained from the text this mode may see (held-out synsets
 * excluded) and stored with the build, or a local transformers.js model; then every stored term
 * gets a vector, page by page.
 */
import { createBuiltinEmbedder, createTransformersEmbedder, DEFAULT_BUILTIN_CONFIG, trainBuiltinEmbedderInWorker, type Embedder } from '../../embed/index.js';
import { saveBuiltinModel } from '../builtin-model.js';
import { clearEmbeddings, countTerms, readTermPage, writeEmbeddings, type Db } from '../../store/index.js';
import type { Progress, StageDefinition } from '../stage.js';
import type { BuildOptions } from '../options.js';
import type { KenetSynset } from '../../lexicon/index.js';

export interface EmbedStageReport {
  terms: number;
  dimensions: number;
  seconds: number;
  termsPerSecond: number;
}

const PAGE = 20_000;

/** Every stored term's vector from `embedder`, page by page. */
export async function embedAllTerms(db: Db, embedder: Embedder, bar: Progress): Promise<EmbedStageReport> {
  const started = performance.now();
  // A rerun after an interruption starts clean: the stage is only recorded done at the end.
  clearEmbeddings(db);
  let after = 0;
  let done = 0;
  for (;;) {
    const rows = readTermPage(db, after, PAGE);
    if (rows.length === 0) break;
    after = rows[rows.length - 1][0];
    const vectors = await embedder.embed(rows.map((r) => r[1]));
    writeEmbeddings(db, rows.map((r) => r[0]), vectors, embedder.info.dimensions);
    done += rows.length;
    bar.update(done);
  }
  bar.finish(done);
  const seconds = (performance.now() - started) / 1000;
  return { terms: done, dimensions: embedder.info.dimensions, seconds, termsPerSecond: done / Math.max(seconds, 1e-9) };
}

type Trained = Awaited<ReturnType<typeof trainBuiltinEmbedderInWorker>>;

function trainBuiltin(options: BuildOptions, synsets: readonly KenetSynset[], signal?: AbortSignal): Promise<Trained> {
  return trainBuiltinEmbedderInWorker({ mode: options.mode, split: options.split, kenet: synsets, knownSynonyms: [] }, signal);
}

export const embedStage: StageDefinition = {
  name: 'embed',
  reads: ['terms'],
  fingerprint: ({ options, upstream, stamp, termsGeneration }) => [options.embedder, options.mode, options.split, stamp(options.kenet), DEFAULT_BUILTIN_CONFIG, upstream('terms'), termsGeneration()],
  // The builtin embedder learns from KeNet alone, not from the terms: at 928k terms its training
  // (~50 s on one core) ran after 25 s of reading and lemmatising them, and now runs beside them.
  early: ({ options, kenet }, signal) => (options.embedder.backend === 'builtin' ? trainBuiltin(options, kenet.synsets, signal) : null),
  run: async ({ db, options, kenet, progress }, early) => {
    let embedder: Embedder;
    let training: object | null = null;
    if (options.embedder.backend === 'builtin') {
      const trained = ((await early) as Trained | undefined) ?? (await trainBuiltin(options, kenet.synsets));
      saveBuiltinModel(db, trained.model);
      training = trained.report;
      embedder = createBuiltinEmbedder(trained.model, { threads: options.threads });
    } else {
      embedder = await createTransformersEmbedder({ modelDir: options.embedder.modelDir, prefix: options.embedder.prefix, threads: options.threads });
    }
    try {
      const r = await embedAllTerms(db, embedder, progress('embed', countTerms(db)));
      return { ...embedder.info, ...r, training };
    } finally {
      await embedder.close();
    }
  },
};
