/**
 * Piscina task file of the cross-encoder relation backend: runs a local transformers.js
 * sequence-classification model (ONNX) over batches of term pairs and returns its raw logits.
 *
 * Runs in the process's single inference thread (the embedder's pool, with piscina's per-task
 * `filename`; see src/util/inference.ts for why there is one thread), and shares that thread's
 * set-up, local-files-only flags included, through workers/onnx-thread.ts. Softmax and the label
 * mapping are done by the caller (src/relations/cross-encoder.ts), so this file knows nothing of
 * relation names.
 *
 * Pairs arrive ready to tokenise (normalised and length-capped by the caller). The tokenizer
 * builds the model's own pair input (`[CLS] a [SEP] b [SEP]` with token types for BERT,
 * `<s> a </s></s> b </s>` for XLM-R/e5) from its tokenizer.json post-processor, pads the batch
 * to its longest pair and truncates at `maxTokens`.
 */
import { AutoModelForSequenceClassification, AutoTokenizer } from '@xenova/transformers';
import { isWorkerThread, move } from 'piscina';
import { ModelCache, prepareLoad, type ModelTask } from './onnx-thread.js';

export type { ModelTask } from './onnx-thread.js';

export interface PairTask extends ModelTask {
  /** First terms of the pairs. */
  a: string[];
  /** Second terms, same length as `a`. */
  b: string[];
}

export interface ClassifierProbe {
  /** Output names of the ONNX session. */
  outputNames: string[];
  /** Dimensions of `logits` for one pair (1 × labels expected). */
  dims: number[];
}

interface Tensor {
  data: ArrayLike<number>;
  dims: number[];
}

interface Tokenizer {
  (text: string[], options: { text_pair: string[]; padding: boolean; truncation: boolean }): Record<string, unknown>;
  model_max_length: number;
}

interface Classifier {
  (inputs: Record<string, unknown>): Promise<{ logits?: Tensor }>;
  session?: { outputNames?: string[] };
  dispose(): Promise<unknown>;
}

interface Loaded {
  tokenizer: Tokenizer;
  model: Classifier;
  dispose(): Promise<unknown>;
}

const models = new ModelCache<Loaded>(async (task) => {
  const id = prepareLoad(task);
  const options = { quantized: task.quantized, local_files_only: true };
  const [tokenizer, model] = await Promise.all([
    AutoTokenizer.from_pretrained(id, options) as unknown as Promise<Tokenizer>,
    AutoModelForSequenceClassification.from_pretrained(id, options) as unknown as Promise<Classifier>,
  ]);
  return { tokenizer, model, dispose: () => model.dispose() };
});

async function load(task: ModelTask): Promise<Loaded> {
  const loaded = await models.get(task);
  if (task.maxTokens !== undefined && task.maxTokens > 0) loaded.tokenizer.model_max_length = task.maxTokens;
  return loaded;
}

async function logits(loaded: Loaded, a: string[], b: string[]): Promise<Tensor> {
  const inputs = loaded.tokenizer(a, { text_pair: b, padding: true, truncation: true });
  const output = await loaded.model(inputs);
  if (!output.logits) throw new Error('the model produced no logits');
  return output.logits;
}

/** Classifies pairs (a[i], b[i]): returns row-major pairs × labels raw logits. */
export async function scorePairs(task: PairTask): Promise<Float32Array> {
  if (task.a.length !== task.b.length) throw new Error(`${task.a.length} first terms for ${task.b.length} second terms`);
  const loaded = await load(task);
  if (task.a.length === 0) return new Float32Array(0);
  // A fresh buffer of exactly this size (the tensor's may be shared or native), moved rather than
  // copied to the main thread.
  const rows = Float32Array.from((await logits(loaded, task.a, task.b)).data);
  return isWorkerThread ? (move(rows) as Float32Array) : rows;
}

/** Loads the model and reports its outputs and the shape of `logits`, for validation up front. */
export async function probe(task: ModelTask): Promise<ClassifierProbe> {
  const loaded = await load(task);
  const out = await logits(loaded, ['test'], ['test']);
  return { outputNames: [...(loaded.model.session?.outputNames ?? [])], dims: [...out.dims] };
}

/** Drops a model from this thread's cache, so that its memory can be reclaimed. */
export function release(task: ModelTask): Promise<boolean> {
  return models.release(task);
}
