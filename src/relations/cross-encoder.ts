/**
 * The cross-encoder relation backend: a user's fine-tuned sequence-classification model (ONNX,
 * transformers.js layout) that reads a term pair as one input, e.g. "[CLS] a [SEP] b [SEP]", and
 * classifies it; the published method's setup is a fine-tuned turkish-e5-large with a 3-class
 * linear head. Nothing is ever downloaded.
 *
 * Model folder layout (what transformers.js 2.17 loads):
 *
 *     DIR/config.json               model_type, architectures (…ForSequenceClassification), id2label
 *     DIR/tokenizer.json            HF tokenizers JSON; its post_processor builds the pair input
 *     DIR/tokenizer_config.json     tokenizer class, model_max_length, ...
 *     DIR/onnx/model.onnx           full-precision weights with a `logits` output, used when
 *                                   present, else
 *     DIR/onnx/model_quantized.onnx the 8-bit quantised export
 *
 * Labels: see src/relations/cross-encoder-labels.ts (explicit map, else config.json names that
 * are already relation names, else a `ModelError`; extra classes such as `unrelated` dropped, so
 * that the three probabilities then sum to less than 1).
 *
 * Text given to the model: each term through `normalizeTerm` (NFC, Turkish lowercase; the model
 * tokenizer's own lowercasing is locale-free and wrong for Turkish), capped at half the token cap
 * × MAX_CHARS_PER_TOKEN code units to bound tokenising time; the tokenizer then truncates the pair
 * from its end at `maxTokens` tokens (transformers.js truncates the tail only, so with absurdly
 * long terms `b` loses its end first). An empty term is an error, raised before any work.
 *
 * Relations are unordered, a cross-encoder is not (b is read after a, with other token types):
 * with `symmetric` (the default) each pair is scored both ways and the two probability rows
 * averaged, so (a, b) and (b, a) get the same row, at twice the inference cost.
 *
 * Threads: inference runs in the process's single inference thread (src/util/inference.ts),
 * shared with the transformers embedder; `threads` sets ONNX Runtime's intra-op threads there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeTerm } from '../lexicon/normalize.js';
import { capChars, inspectModelFolder, MAX_CHARS_PER_TOKEN } from '../embed/transformers.js';
import { ModelError } from '../embed/types.js';
import { RELATION_LABELS, type RelationLabel } from '../types.js';
import { inferencePool } from '../util/inference.js';
import { defaultThreads, workerFile } from '../util/workers.js';
import { mapLabels, modelLabels, relationProbabilities } from './cross-encoder-labels.js';
import { QueryInputError } from '../errors.js';

export interface CrossEncoderOptions {
  /** The model folder (see the layout above). */
  modelDir: string;
  /** Model label name (config.json id2label) -> relation; unmentioned model labels are dropped. Default: from config.json's names. */
  labels?: Record<string, RelationLabel>;
  /** ONNX Runtime intra-op threads for the model (inference itself runs in one worker thread). Default one per core. */
  threads?: number;
  /** Ordered pairs per inference call (padded to the longest in the batch). Default 32. */
  batchSize?: number;
  /** Score (a, b) and (b, a) and average the probabilities. Default true. */
  symmetric?: boolean;
}

export interface CrossEncoderInfo {
  /** The model folder as given. */
  modelDir: string;
  /** Model label name -> relation, for the labels that are used (the others are dropped). */
  labels: Record<string, RelationLabel>;
  /** True when only `onnx/model_quantized.onnx` exists. */
  quantized: boolean;
}

export interface CrossEncoder {
  readonly info: CrossEncoderInfo;
  /**
   * Row-major pairs.length × 3 probabilities in RELATION_LABELS order [synonym, antonym,
   * co-hyponym]. Rows sum to 1, or to less when the model has dropped classes.
   */
  score(pairs: readonly (readonly [string, string])[]): Promise<Float32Array>;
  /** Releases the model in the inference thread; the encoder is unusable afterwards. */
  close(): Promise<void>;
}

const DEFAULT_BATCH_SIZE = 32;

/** What the worker needs to find, load and size a model (see workers/cross-encoder.ts). */
interface ModelTask {
  modelDir: string;
  quantized: boolean;
  maxTokens: number;
  threads: number;
}

interface ClassifierProbe {
  outputNames: string[];
  dims: number[];
}

/** Cross-encoders open per loaded model, so that the last one to close releases it in the worker. */
const openModels = new Map<string, number>();

function modelKey(task: ModelTask): string {
  return `${task.modelDir}\0${task.quantized}\0${task.threads}`;
}

function readConfig(dir: string): Record<string, unknown> {
  // inspectModelFolder has checked that config.json exists and is a JSON object.
  return JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
}

/** The two texts the model sees for pair `index`: normalised, each capped at `maxChars`. */
export function pairTexts(pair: readonly [string, string], index: number, maxChars: number): [string, string] {
  const [a, b] = [normalizeTerm(pair[0]), normalizeTerm(pair[1])];
  if (a.length === 0 || b.length === 0) throw new QueryInputError(`empty term in pair ${index}: nothing to classify after normalisation`);
  return [capChars(a, maxChars), capChars(b, maxChars)];
}

/**
 * Creates the cross-encoder after validating the folder, the label mapping and the model's output
 * (one probe inference); throws `ModelError` naming the folder for unusable models.
 */
export async function createCrossEncoder(options: CrossEncoderOptions): Promise<CrossEncoder> {
  const label = options.modelDir;
  const folder = inspectModelFolder(options.modelDir);
  const names = modelLabels(label, readConfig(folder.dir));
  const { labels, columns } = mapLabels(label, names, options.labels);
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH_SIZE));
  const symmetric = options.symmetric ?? true;
  const maxChars = Math.max(1, Math.floor(folder.maxTokens / 2)) * MAX_CHARS_PER_TOKEN;
  const task: ModelTask = { modelDir: folder.dir, quantized: folder.quantized, maxTokens: folder.maxTokens, threads: defaultThreads(options.threads) };
  const filename = workerFile('cross-encoder');
  const pool = inferencePool();
  const key = modelKey(task);
  openModels.set(key, (openModels.get(key) ?? 0) + 1);

  const release = async (): Promise<void> => {
    const open = (openModels.get(key) ?? 1) - 1;
    if (open > 0) {
      openModels.set(key, open);
      return;
    }
    openModels.delete(key);
    await pool.run(task, { filename, name: 'release' });
  };

  try {
    let probe: ClassifierProbe;
    try {
      probe = (await pool.run(task, { filename, name: 'probe' })) as ClassifierProbe;
    } catch (err) {
      throw new ModelError(label, `cannot load the model as a sequence classifier: ${(err as Error).message}`);
    }
    if (!probe.outputNames.includes('logits')) {
      throw new ModelError(label, `the ONNX model has no logits output (outputs: ${probe.outputNames.join(', ') || 'none'}); export it for sequence classification`);
    }
    if (probe.dims.length !== 2 || probe.dims[1] !== names.length) {
      throw new ModelError(label, `config.json id2label has ${names.length} labels, but the model's logits have shape [${probe.dims.join(', ')}] for one pair`);
    }
  } catch (err) {
    await release();
    throw err;
  }

  /** Raw logits (rows × names.length) of ordered pairs, in batches queued to the inference thread. */
  const logits = async (a: string[], b: string[]): Promise<Float32Array> => {
    const width = names.length;
    const out = new Float32Array(a.length * width);
    const batches: Promise<void>[] = [];
    for (let start = 0; start < a.length; start += batchSize) {
      const end = Math.min(a.length, start + batchSize);
      const batch = { ...task, a: a.slice(start, end), b: b.slice(start, end) };
      batches.push(
        (pool.run(batch, { filename, name: 'scorePairs' }) as Promise<Float32Array>).then((rows) => {
          if (rows.length !== (end - start) * width) throw new ModelError(label, `model returned ${rows.length} logits for ${end - start} pairs × ${width} labels`);
          out.set(rows, start * width);
        }),
      );
    }
    await Promise.all(batches);
    return out;
  };

  let closed = false;
  return {
    info: { modelDir: options.modelDir, labels, quantized: folder.quantized },
    async score(pairs: readonly (readonly [string, string])[]): Promise<Float32Array> {
      if (closed) throw new Error('cross-encoder is closed');
      // Prepare (and reject empty terms) before any inference.
      const texts = pairs.map((p, i) => pairTexts(p, i, maxChars));
      const first = texts.map(([a]) => a);
      const second = texts.map(([, b]) => b);
      // Symmetric: the reversed pairs follow the forward ones in the same batches.
      const probs = relationProbabilities(
        symmetric ? await logits([...first, ...second], [...second, ...first]) : await logits(first, second),
        columns,
      );
      const width = RELATION_LABELS.length;
      const out = new Float32Array(pairs.length * width);
      const back = symmetric ? pairs.length * width : 0;
      for (let i = 0; i < out.length; i++) out[i] = symmetric ? (probs[i] + probs[back + i]) / 2 : probs[i];
      return out;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await release();
    },
  };
}
