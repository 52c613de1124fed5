/**
 * The embed stage: the builtin embedder trained from the text this mode may see (held-out synsets
 * excluded) and stored with the build, or a local transformers.js model; then every stored term
 * gets a vector, page by page.
 */
import { createBuiltinEmbedder, createTransformersEmbedder, DEFAULT_BUILTIN_CONFIG, trainBuiltinEmbedderInWorker, type Embedder } from '../../embed/index.js';
import { saveBuiltinModel } from '../builtin-model.js';
import { builtinCacheDir, cacheKey, readCachedTraining, writeCachedTraining } from '../embedder-cache.js';
import { clearEmbeddings, countTerms, readTermPage, writeEmbeddings, type Db } from '../../store/index.js';
import type { BuildContext, Progress, StageDefinition } from '../stage.js';
import { installedVersion, lemmaTablePath } from '../../lexicon/index.js';
import { codeStamp } from '../../util/code-stamp.js';
import { matrixTooLarge } from '../../util/matrix-limit.js';
import { ModelError } from '../../errors.js';

export interface EmbedStageReport {
  terms: number;
  dimensions: number;
  seconds: number;
  termsPerSecond: number;
}

const PAGE = 20_000;

/**
 * Every stored term's vector from `embedder`, page by page. A page is written while the embedder's
 * workers take the next one: at 928k terms the loop took 15.5-15.9 s, against 16.0-16.2 s when
 * the workers waited for each write (alternating runs).
 */
export async function embedAllTerms(db: Db, embedder: Embedder, bar: Progress): Promise<EmbedStageReport> {
  const started = performance.now();
  // A rerun after an interruption starts clean: the stage is only recorded done at the end.
  clearEmbeddings(db);
  let after = 0;
  let done = 0;
  let waiting: { ids: number[]; vectors: Promise<Float32Array> } | null = null;
  const write = async ({ ids, vectors }: { ids: number[]; vectors: Promise<Float32Array> }): Promise<void> => {
    writeEmbeddings(db, ids, await vectors, embedder.info.dimensions);
    done += ids.length;
    bar.update(done);
  };
  for (;;) {
    const rows = readTermPage(db, after, PAGE);
    if (rows.length === 0) break;
    after = rows[rows.length - 1][0];
    const vectors = embedder.embed(rows.map((r) => r[1]));
    // Awaited below; a failed write before then must not leave its rejection unhandled.
    vectors.catch(() => undefined);
    if (waiting) await write(waiting);
    waiting = { ids: rows.map((r) => r[0]), vectors };
  }
  if (waiting) await write(waiting);
  bar.finish(done);
  const seconds = (performance.now() - started) / 1000;
  return { terms: done, dimensions: embedder.info.dimensions, seconds, termsPerSecond: done / Math.max(seconds, 1e-9) };
}

type Trained = Awaited<ReturnType<typeof trainBuiltinEmbedderInWorker>> & {
  /** The embedder cache's part: `hit` (read, not trained), `stored`, `off`, or why it could not store. */
  cache: { dir: string | null; outcome: string; seconds: number };
};

/**
 * Everything the training reads, as the embedder cache's key: the mode (and, held out, the split:
 * a full build's training sees every synset whatever the seed), KeNet, the config, the code that
 * trains, and the packaged text (editions, news corpus, lemmatiser, lemma table).
 */
function trainingInputs({ options, stamp }: BuildContext): unknown {
  return {
    mode: options.mode,
    split: options.mode === 'holdout' ? options.split : null,
    kenet: stamp(options.kenet),
    config: DEFAULT_BUILTIN_CONFIG,
    code: codeStamp(),
    text: { wordnet: installedVersion('nlptoolkit-wordnet'), corpus: installedVersion('nlptoolkit-corpus'), analyser: installedVersion('nlptoolkit-morphologicalanalysis'), lemmas: stamp(lemmaTablePath()) },
  };
}

/** The trained builtin embedder: from the cache when it holds this training, else trained (and stored there). */
async function trainBuiltin(ctx: BuildContext, signal?: AbortSignal): Promise<Trained> {
  const { options, kenet } = ctx;
  const started = performance.now();
  const dir = builtinCacheDir();
  const key = dir ? cacheKey(trainingInputs(ctx)) : '';
  const seconds = (): number => (performance.now() - started) / 1000;
  const cached = dir ? readCachedTraining(dir, key) : null;
  if (cached) return { ...cached, cache: { dir, outcome: 'hit', seconds: seconds() } };
  const trained = await trainBuiltinEmbedderInWorker({ mode: options.mode, split: options.split, kenet: kenet.synsets, knownSynonyms: [] }, signal);
  if (!dir) return { ...trained, cache: { dir, outcome: 'off', seconds: 0 } };
  const stored = performance.now();
  const failed = writeCachedTraining(dir, key, trained);
  return { ...trained, cache: { dir, outcome: failed ? `not stored: ${failed.message}` : 'stored', seconds: (performance.now() - stored) / 1000 } };
}

export const embedStage: StageDefinition = {
  name: 'embed',
  reads: ['terms'],
  fingerprint: ({ options, upstream, stamp, termsGeneration }) => [options.embedder, options.mode, options.split, stamp(options.kenet), DEFAULT_BUILTIN_CONFIG, upstream('terms'), termsGeneration()],
  // The builtin embedder learns from KeNet alone, not from the terms: at 928k terms its training
  // (~50 s on one core) ran after 25 s of reading and lemmatising them, and now runs beside them
  // (or is read from the embedder cache).
  early: (ctx, signal) => (ctx.options.embedder.backend === 'builtin' ? trainBuiltin(ctx, signal) : null),
  run: async (ctx, early) => {
    const { db, options, progress } = ctx;
    let embedder: Embedder;
    let training: object | null = null;
    if (options.embedder.backend === 'builtin') {
      const trained = ((await early) as Trained | undefined) ?? (await trainBuiltin(ctx));
      saveBuiltinModel(db, trained.model);
      training = { ...trained.report, cache: trained.cache };
      embedder = createBuiltinEmbedder(trained.model, { threads: options.threads });
    } else {
      embedder = await createTransformersEmbedder({ modelDir: options.embedder.modelDir, prefix: options.embedder.prefix, threads: options.threads });
    }
    try {
      const terms = countTerms(db);
      // Refused before hours of embedding, not when the candidates stage reads the vectors back.
      const tooLarge = matrixTooLarge(terms, embedder.info.dimensions);
      if (tooLarge) throw new ModelError(embedder.info.model, tooLarge);
      const r = await embedAllTerms(db, embedder, progress('embed', terms));
      return { ...embedder.info, ...r, training };
    } finally {
      await embedder.close();
    }
  },
};
