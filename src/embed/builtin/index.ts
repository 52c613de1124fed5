/**
 * The builtin Turkish embedder (the embedded default): trained by the build itself from text
 * shipped on npm, filtered by the build's mode, and stored in the database it built (as an
 * artifact: this module turns a model into parts and back, src/pipeline/builtin-model.ts stores them).
 */
import { workerPool } from '../../util/pool.js';
import type { KenetSynset } from '../../lexicon/kenet.js';
import type { SplitConfig } from '../../split.js';
import type { BuildMode } from '../../types.js';
import { float32Of } from '../../util/blobs.js';
import { mulberry32 } from '../../util/random.js';
import { defaultThreads, KEEP_WORKERS, workerFile } from '../../util/workers.js';
import { ModelError, type Embedder } from '../types.js';
import { trainingDocuments, type CorpusStats } from './corpus.js';
import { learnSynonymMetric } from './metric.js';
import { BuiltinEncoder, ownVectorTest, trainBuiltin, type BuiltinModel, type TrainReport } from './model.js';
import type { BuiltinConfig } from './train.js';
import { QueryInputError } from '../../errors.js';

export { BuiltinEncoder, trainBuiltin, type BuiltinModel } from './model.js';
export { DEFAULT_BUILTIN_CONFIG, type BuiltinConfig } from './train.js';
export { tokenize } from './tokenize.js';

export const BUILTIN_ARTIFACT = 'embedder/builtin';

export interface BuiltinTrainingOptions {
  mode: BuildMode;
  split: SplitConfig;
  kenet: readonly KenetSynset[];
  /** Known synonym pairs the build may use (train-split only in a held-out build) for the metric. */
  knownSynonyms: readonly (readonly [string, string])[];
  config?: Partial<BuiltinConfig>;
}

export interface BuiltinTrainingReport extends TrainReport {
  corpus: CorpusStats;
  metricPairs: number;
  secondsTotal: number;
}

/** Copies a typed array into shared memory, so worker threads read the model without copies. */
function shared(a: Float32Array): Float32Array {
  const out = new Float32Array(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

export async function trainBuiltinEmbedder(options: BuiltinTrainingOptions): Promise<{ model: BuiltinModel; report: BuiltinTrainingReport }> {
  const started = performance.now();
  const { documents, stats } = await trainingDocuments({ mode: options.mode, split: options.split, kenet: options.kenet });
  const { model, report } = await trainBuiltin(documents, { config: options.config });
  const trained: BuiltinModel = { ...model, vectors: shared(model.vectors), ngrams: shared(model.ngrams) };
  let metricPairs = 0;
  if (trained.config.synonymMetric && options.knownSynonyms.length > 0) {
    // The metric is fitted on the encoder's own output for the known words.
    const words = [...new Set(options.knownSynonyms.flat())].sort();
    const row = new Map(words.map((w, i) => [w, i]));
    const vectors = new BuiltinEncoder(trained).encodeAll(words);
    const pairs = options.knownSynonyms.map(([a, b]) => [row.get(a) as number, row.get(b) as number] as const);
    const rand = mulberry32(trained.config.seed);
    const others = Array.from({ length: Math.max(10_000, pairs.length) }, () => [Math.floor(rand() * words.length), Math.floor(rand() * words.length)] as const);
    trained.metric = learnSynonymMetric(vectors, trained.config.dimensions, pairs, others);
    metricPairs = pairs.length;
  }
  return { model: trained, report: { ...report, corpus: stats, metricPairs, secondsTotal: (performance.now() - started) / 1000 } };
}

/** Trains in a worker thread (deterministic all the same: the training itself is single-threaded code); `signal` ends the worker. */
export async function trainBuiltinEmbedderInWorker(options: BuiltinTrainingOptions, signal?: AbortSignal): Promise<{ model: BuiltinModel; report: BuiltinTrainingReport }> {
  const pool = workerPool(workerFile('train-builtin'), { name: 'train', maxThreads: 1, minThreads: 1 });
  try {
    return await pool.run<{ model: BuiltinModel; report: BuiltinTrainingReport }>(options, { signal });
  } finally {
    await pool.destroy();
  }
}

/** A stored artifact as this module reads it: JSON meta and named binary parts. */
export interface BuiltinArtifact {
  meta: Record<string, unknown>;
  parts: ReadonlyMap<string, Uint8Array>;
}

/** The model as artifact parts (kind, meta, parts), in the order they have always been stored. */
export function builtinModelArtifact(model: BuiltinModel): { kind: string; meta: Record<string, unknown>; parts: Record<string, ArrayBufferView> } {
  return {
    kind: 'builtin-embedder',
    meta: { config: model.config, hasMetric: model.metric !== null },
    parts: {
      vocab: Buffer.from(model.vocab.join('\n'), 'utf8'),
      vectors: model.vectors,
      ngrams: model.ngrams,
      ...(model.metric ? { metric: Float32Array.from(model.metric.transform) } : {}),
    },
  };
}

/** The model back from its artifact; `source` names where it came from in errors (the database file). */
export function builtinModelFromArtifact(artifact: BuiltinArtifact, source: string): BuiltinModel {
  const part = (name: string): Uint8Array => {
    const b = artifact.parts.get(name);
    if (!b) throw new ModelError(source, `builtin embedder artifact is missing its ${name} part`);
    return b;
  };
  const config = artifact.meta.config as BuiltinConfig;
  const metric = artifact.meta.hasMetric ? { dimensions: config.dimensions, transform: Float64Array.from(float32Of(part('metric'))) } : null;
  return { config, vocab: utf8(part('vocab')).split('\n'), vectors: shared(float32Of(part('vectors'))), ngrams: shared(float32Of(part('ngrams'))), metric };
}

/** The artifact parts builtinKnownTermsOf reads: the n-gram table, the largest part, is not needed. */
export const BUILTIN_KNOWN_TERMS_PARTS = ['vocab', 'vectors'] as const;

/**
 * Which terms the builtin embedder knows from its training text (see ownVectorTest), from its
 * artifact's vocabulary and word vectors; null when they are missing.
 */
export function builtinKnownTermsOf(artifact: BuiltinArtifact): ((term: string) => boolean) | null {
  const vocab = artifact.parts.get('vocab');
  const vectors = artifact.parts.get('vectors');
  if (!vocab || !vectors) return null;
  const config = artifact.meta.config as BuiltinConfig;
  return ownVectorTest(utf8(vocab).split('\n'), float32Of(vectors), config.dimensions);
}

function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** An Embedder over a trained model, encoding batches in worker threads that share the model. */
export function createBuiltinEmbedder(model: BuiltinModel, options: { threads?: number; batchSize?: number; modelId?: string } = {}): Embedder {
  // Up to 4 batches wait at each worker, not one: a worker that finished its batch while this
  // thread wrote a page of vectors used to wait for the write to hand it the next (at 928k terms the
  // embed stage's loop took 13.1-13.2 s so, 15.1-15.2 s before; 8 did alike).
  const pool = workerPool(workerFile('embed-builtin'), { name: 'embedBatch', maxThreads: defaultThreads(options.threads), minThreads: 1, idleTimeout: KEEP_WORKERS, concurrentTasksPerWorker: 4, workerData: { model } });
  const dims = model.config.dimensions;
  const batchSize = options.batchSize ?? 2048;
  return {
    info: { backend: 'builtin', model: options.modelId ?? BUILTIN_ARTIFACT, dimensions: dims },
    async embed(terms) {
      terms.forEach((t, i) => {
        if (t.trim().length === 0) throw new QueryInputError(`empty term at index ${i}: nothing to embed`);
      });
      const out = new Float32Array(terms.length * dims);
      const tasks: Promise<void>[] = [];
      for (let i = 0; i < terms.length; i += batchSize) {
        const start = i;
        tasks.push(pool.run<Float32Array>(terms.slice(i, i + batchSize)).then((v) => out.set(v, start * dims)));
      }
      await Promise.all(tasks);
      return out;
    },
    close: () => pool.destroy(),
  };
}
