/**
 * The `transformers` embedder backend: a local transformers.js feature-extraction model (ONNX),
 * e.g. multilingual-e5-small/-large exported for transformers.js, run in a worker thread.
 *
 * Model folder layout (what transformers.js 2.17 loads, nothing is ever downloaded):
 *
 *     DIR/config.json               model_type, hidden_size, max_position_embeddings, ...
 *     DIR/tokenizer.json            HF tokenizers JSON
 *     DIR/tokenizer_config.json     tokenizer class, model_max_length, ...
 *     DIR/onnx/model.onnx           full-precision weights, used when present, else
 *     DIR/onnx/model_quantized.onnx the 8-bit quantised export
 *
 * The folder is checked up front (files, then one probe inference for the output shape), and any
 * problem is a `ModelError` naming the folder.
 *
 * Text given to the model, for every term:
 * - `normalizeTerm` (NFC, Turkish lowercase) first, because the model tokenizer's own lowercasing
 *   is locale-free and wrong for Turkish (`I` -> `i`, `İ` -> `i` + U+0307); so `İSTANBUL` and
 *   `istanbul` get the same vector. A term that is empty after normalisation is an error
 *   (`empty term at index i`), raised before any work is done.
 * - capped at `maxTokens × MAX_CHARS_PER_TOKEN` UTF-16 code units (never splitting a surrogate
 *   pair), which bounds tokenising time on absurd inputs;
 * - then the optional `prefix` (e.g. `query: ` for e5 models) is prepended, never cut;
 * - the tokenizer then truncates to `maxTokens` tokens, special tokens included, where `maxTokens`
 *   is the smaller of `model_max_length` (tokenizer_config.json) and the model's usable positions
 *   (`max_position_embeddings`, less 2 for RoBERTa-style models such as XLM-R/e5). So a term of
 *   any length gets a vector: that of its first `maxTokens` tokens.
 *
 * Output rows are mean-pooled over the attention mask and L2-normalised.
 *
 * Threads: all inference runs in ONE worker thread per process (see `inferencePool` in
 * src/util/inference.ts for why); `threads` sets ONNX Runtime's intra-op threads inside it, and batches are queued to it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { normalizeTerm } from '../lexicon/normalize.js';
import { inferencePool } from '../util/inference.js';
import type { WorkerPool } from '../util/pool.js';
import { defaultThreads } from '../util/workers.js';
import { ModelError, type Embedder, type EmbedderInfo } from './types.js';
import { QueryInputError } from '../errors.js';

export interface TransformersEmbedderOptions {
  /** The model folder (see the layout above). */
  modelDir: string;
  /** Prepended to every (normalised) term, e.g. `'query: '` for e5 models. Default none. */
  prefix?: string;
  /** ONNX Runtime intra-op threads for the model (inference itself runs in one worker thread). Default one per core. */
  threads?: number;
  /** Terms per inference call (padded to the longest in the batch). Default 64. */
  batchSize?: number;
}

/** What `inspectModelFolder` found in a model folder that has all the required files. */
export interface ModelFolder {
  /** Absolute path of the folder. */
  dir: string;
  /** True when only `onnx/model_quantized.onnx` exists. */
  quantized: boolean;
  /** `hidden_size` (or `d_model`/`dim`) from config.json, when given. */
  hiddenSize: number | null;
  /** Token cap applied by the tokenizer (special tokens included). */
  maxTokens: number;
}

/** Character cap per token of `maxTokens`: far above any real term, only there to bound work. */
export const MAX_CHARS_PER_TOKEN = 16;
const DEFAULT_MAX_TOKENS = 512;
const DEFAULT_BATCH_SIZE = 64;
/** Model types whose position ids start at padding_idx + 1 (= 2), losing two positions. */
const OFFSET_POSITION_MODELS = new Set(['roberta', 'xlm-roberta', 'camembert', 'longformer', 'mpnet']);

type Json = Record<string, unknown>;

function readJson(label: string, dir: string, file: string): Json {
  const path = join(dir, file);
  if (!existsSync(path)) throw new ModelError(label, `missing ${file} (expected ${path})`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ModelError(label, `${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ModelError(label, `${file} is not a JSON object`);
  return value as Json;
}

function positiveInt(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;
}

/**
 * Checks that `modelDir` holds a transformers.js feature-extraction model: the folder, config.json,
 * tokenizer.json, tokenizer_config.json and onnx/model.onnx or onnx/model_quantized.onnx. Throws
 * `ModelError` naming the folder and the first missing or unreadable file. Does not load the model.
 */
export function inspectModelFolder(modelDir: string): ModelFolder {
  const label = modelDir;
  const dir = resolve(modelDir);
  if (!existsSync(dir)) throw new ModelError(label, 'model folder not found');
  if (!statSync(dir).isDirectory()) throw new ModelError(label, 'not a folder');
  const config = readJson(label, dir, 'config.json');
  const tokenizerConfig = readJson(label, dir, 'tokenizer_config.json');
  readJson(label, dir, 'tokenizer.json');
  const full = existsSync(join(dir, 'onnx', 'model.onnx'));
  const quantized = !full && existsSync(join(dir, 'onnx', 'model_quantized.onnx'));
  if (!full && !quantized) throw new ModelError(label, `missing onnx/model.onnx (or onnx/model_quantized.onnx) in ${dir}`);

  const hiddenSize = positiveInt(config.hidden_size) ?? positiveInt(config.d_model) ?? positiveInt(config.dim);
  const declared = positiveInt(tokenizerConfig.model_max_length);
  const positions = positiveInt(config.max_position_embeddings);
  const usable = positions === null ? null : positions - (OFFSET_POSITION_MODELS.has(String(config.model_type)) ? 2 : 0);
  // model_max_length is often a huge sentinel (1e30) when unset; the position table is the real cap.
  const caps = [declared, usable].filter((n): n is number => n !== null && n > 2 && n < 1_000_000);
  const maxTokens = caps.length > 0 ? Math.min(...caps) : DEFAULT_MAX_TOKENS;
  return { dir, quantized, hiddenSize, maxTokens };
}

/**
 * The text the model sees for `term` (see the module comment): normalised, capped at `maxChars`,
 * prefixed. Throws `empty term at index i` when nothing is left after normalisation.
 */
export function modelText(term: string, index: number, prefix: string, maxChars: number): string {
  const text = normalizeTerm(term);
  if (text.length === 0) throw new QueryInputError(`empty term at index ${index}: nothing to embed after normalisation`);
  return prefix + capChars(text, maxChars);
}

/** `text` cut to at most `maxChars` UTF-16 code units, never splitting a surrogate pair. */
export function capChars(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let cut = maxChars;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--; // do not split a surrogate pair
  return text.slice(0, cut);
}

interface ProbeResult {
  outputNames: string[];
  dims: number[];
}

/** What the worker needs to find, load and size a model (see workers/embed-transformers.ts). */
interface ModelTask {
  modelDir: string;
  quantized: boolean;
  maxTokens: number;
  threads: number;
}

/** Embedders open per loaded model, so that the last one to close releases it in the worker. */
const openModels = new Map<string, number>();

function modelKey(task: ModelTask): string {
  return `${task.modelDir}\0${task.quantized}\0${task.threads}`;
}

async function releaseModel(pool: WorkerPool, task: ModelTask): Promise<void> {
  const key = modelKey(task);
  const open = (openModels.get(key) ?? 1) - 1;
  if (open > 0) {
    openModels.set(key, open);
    return;
  }
  openModels.delete(key);
  await pool.run(task, { name: 'release' });
}

/**
 * Creates the embedder after validating the model folder; throws `ModelError` for unusable models.
 *
 * Inference runs in this process's single inference worker thread (see `inferencePool`), in
 * batches of `batchSize` terms; `threads` sets ONNX Runtime's intra-op threads for the model,
 * which is where the parallelism is. `close()` releases the model in that thread.
 */
export async function createTransformersEmbedder(options: TransformersEmbedderOptions): Promise<Embedder> {
  const label = options.modelDir;
  const folder = inspectModelFolder(options.modelDir);
  const prefix = options.prefix ?? '';
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH_SIZE));
  const maxChars = folder.maxTokens * MAX_CHARS_PER_TOKEN;
  const task: ModelTask = { modelDir: folder.dir, quantized: folder.quantized, maxTokens: folder.maxTokens, threads: defaultThreads(options.threads) };
  const pool = inferencePool();
  const key = modelKey(task);
  openModels.set(key, (openModels.get(key) ?? 0) + 1);

  let dimensions: number;
  try {
    let probe: ProbeResult;
    try {
      probe = (await pool.run(task, { name: 'probe' })) as ProbeResult;
    } catch (err) {
      throw new ModelError(label, `cannot load the model: ${(err as Error).message}`);
    }
    const { dims, outputNames } = probe;
    if (!outputNames.includes('last_hidden_state')) {
      throw new ModelError(label, `the ONNX model has no last_hidden_state output (outputs: ${outputNames.join(', ') || 'none'}); export it for feature extraction`);
    }
    if (dims.length !== 3) {
      throw new ModelError(label, `last_hidden_state has shape [${dims.join(', ')}], expected 3 dimensions (batch × tokens × hidden)`);
    }
    dimensions = dims[2];
    if (folder.hiddenSize !== null && dimensions !== folder.hiddenSize) {
      throw new ModelError(label, `hidden size mismatch: config.json says ${folder.hiddenSize}, the ONNX model outputs ${dimensions}`);
    }
  } catch (err) {
    await releaseModel(pool, task);
    throw err;
  }

  const info: EmbedderInfo = { backend: 'transformers', model: options.modelDir, dimensions };
  let closed = false;

  return {
    info,
    async embed(terms: readonly string[]): Promise<Float32Array> {
      if (closed) throw new Error('transformers embedder is closed');
      // Prepare (and reject empty terms) before any inference.
      const texts = terms.map((t, i) => modelText(t, i, prefix, maxChars));
      const out = new Float32Array(texts.length * dimensions);
      const batches: Promise<void>[] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        const batch = texts.slice(start, start + batchSize);
        batches.push(
          (pool.run({ ...task, texts: batch }) as Promise<Float32Array>).then((rows) => {
            if (rows.length !== batch.length * dimensions) {
              throw new ModelError(label, `model returned ${rows.length} values for ${batch.length} terms × ${dimensions} dimensions`);
            }
            out.set(rows, start * dimensions);
          }),
        );
      }
      await Promise.all(batches);
      return out;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await releaseModel(pool, task);
    },
  };
}
