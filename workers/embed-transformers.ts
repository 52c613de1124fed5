/**
 * Piscina worker of the `transformers` embedder backend: runs a local transformers.js
 * feature-extraction model (ONNX) over a batch of prepared texts, mean-pooled and L2-normalised.
 *
 * Texts arrive ready to tokenise (Turkish-lowercased by `normalizeTerm`, prefixed, length-capped:
 * see src/embed/transformers.ts). Each pipeline is loaded once and cached per model folder (and
 * precision and thread count) until released. Nothing is ever downloaded: remote models are
 * disabled for this thread before any load (workers/onnx-thread.ts, shared with the other
 * transformers.js tasks of this thread).
 *
 * This runs in ONE thread per process, for the life of the process: onnxruntime-node 1.14 (the
 * version transformers.js 2.17 pins) keeps per-thread N-API state in C++ statics, so a second
 * thread loading it, or a thread loaded after another has exited, corrupts memory
 * (`free(): invalid pointer`, segfaults) or fails with "Module did not self-register".
 * Parallelism comes from ONNX Runtime's own intra-op threads instead (`threads`, see below).
 */
import { pipeline } from '@xenova/transformers';
import { isWorkerThread, move } from 'piscina';
import { ModelCache, prepareLoad, type ModelTask } from './onnx-thread.js';

export { modelKey, type ModelTask } from './onnx-thread.js';

export interface EmbedTask extends ModelTask {
  texts: string[];
}

export interface ProbeResult {
  /** Output names of the ONNX session. */
  outputNames: string[];
  /** Dimensions of the token-level output the pipeline pools (batch × tokens × hidden expected). */
  dims: number[];
}

interface Pipe {
  (texts: string[], options: { pooling: 'mean' | 'none'; normalize: boolean }): Promise<{ data: ArrayLike<number>; dims: number[] } | undefined>;
  tokenizer: { model_max_length: number };
  model: { session?: { outputNames?: string[] } };
  dispose(): Promise<unknown>;
}

const pipes = new ModelCache<Pipe>(
  (task) => pipeline('feature-extraction', prepareLoad(task), { quantized: task.quantized, local_files_only: true }) as unknown as Promise<Pipe>,
);

async function loadPipe(task: ModelTask): Promise<Pipe> {
  const p = await pipes.get(task);
  if (task.maxTokens !== undefined && task.maxTokens > 0) p.tokenizer.model_max_length = task.maxTokens;
  return p;
}

/** Embeds `texts`: returns row-major texts.length × hidden, each row L2-normalised. */
export async function embedBatch(task: EmbedTask): Promise<Float32Array> {
  const pipe = await loadPipe(task);
  if (task.texts.length === 0) return new Float32Array(0);
  const result = await pipe(task.texts, { pooling: 'mean', normalize: true });
  if (!result) throw new Error('the model produced no last_hidden_state');
  // A fresh buffer of exactly this size (the tensor's may be shared or native), moved rather than
  // copied to the main thread.
  const rows = Float32Array.from(result.data);
  return isWorkerThread ? (move(rows) as Float32Array) : rows;
}

/** Loads the model and reports the shape of its token-level output, for validation up front. */
export async function probe(task: ModelTask): Promise<ProbeResult> {
  const pipe = await loadPipe(task);
  const result = await pipe(['test'], { pooling: 'none', normalize: false });
  return { outputNames: [...(pipe.model.session?.outputNames ?? [])], dims: result ? [...result.dims] : [] };
}

/** Drops a model from this thread's cache, so that its memory can be reclaimed. */
export function release(task: ModelTask): Promise<boolean> {
  return pipes.release(task);
}
