/**
 * Piscina worker of the `transformers` embedder backend: runs a local transformers.js
 * feature-extraction model (ONNX) over a batch of prepared texts, mean-pooled and L2-normalised.
 *
 * Texts arrive ready to tokenise (Turkish-lowercased by `normalizeTerm`, prefixed, length-capped:
 * see src/embed/transformers.ts). Each pipeline is loaded once and cached per model folder (and
 * precision and thread count) until released. Nothing is ever downloaded: remote models are
 * disabled for this thread before any load.
 *
 * This runs in ONE thread per process, for the life of the process: onnxruntime-node 1.14 (the
 * version transformers.js 2.17 pins) keeps per-thread N-API state in C++ statics, so a second
 * thread loading it, or a thread loaded after another has exited, corrupts memory
 * (`free(): invalid pointer`, segfaults) or fails with "Module did not self-register".
 * Parallelism comes from ONNX Runtime's own intra-op threads instead (`threads`, see below).
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { env, pipeline } from '@xenova/transformers';
import { isWorkerThread, move } from 'piscina';

// Local files only, for every load in this thread. `useFSCache` off: local files are read in
// place, and nothing is fetched that could be cached.
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.useFSCache = false;
env.useBrowserCache = false;

export interface ModelTask {
  /** Absolute path of the model folder (config.json, tokenizer*.json, onnx/). */
  modelDir: string;
  /** Load `onnx/model_quantized.onnx` instead of `onnx/model.onnx`. */
  quantized: boolean;
  /** Token cap (special tokens included); longer inputs are truncated by the tokenizer. */
  maxTokens?: number;
  /** ONNX Runtime intra-op threads for this model's session (0: ONNX Runtime's default). */
  threads?: number;
}

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

// `threads`: transformers.js creates sessions with `{ executionProviders }` only, from the model
// file's bytes, and onnxruntime-node 1.14 ignores the session options given with a buffer (it
// parses the byte offset argument as the options). So, to set ONNX Runtime's intra-op thread count,
// the session of the model file being loaded is created from its path instead, with
// `intraOpNumThreads` added and the providers cut to the one the binding has ('cpu'). Only when the buffer is that file (same size) and the CPU provider is
// asked for (not transformers.js's wasm fallback); anything unexpected keeps the original call.
let sessionThreads = 0;
let sessionFile: string | null = null;
try {
  const fromTransformers = createRequire(createRequire(import.meta.url).resolve('@xenova/transformers'));
  const ort = fromTransformers('onnxruntime-node') as { InferenceSession: { create: (...args: unknown[]) => Promise<unknown> } };
  const create = ort.InferenceSession.create.bind(ort.InferenceSession);
  ort.InferenceSession.create = (...args: unknown[]) => {
    const [model, options] = args;
    if (
      args.length === 2 &&
      sessionThreads > 0 &&
      sessionFile !== null &&
      model instanceof Uint8Array &&
      typeof options === 'object' &&
      options !== null &&
      ((options as { executionProviders?: unknown[] }).executionProviders ?? []).includes('cpu') &&
      statSync(sessionFile).size === model.byteLength
    ) {
      // The node binding rejects (once it reads them) providers it does not have, such as 'wasm'.
      return create(sessionFile, { ...options, executionProviders: ['cpu'], intraOpNumThreads: sessionThreads });
    }
    return create(...args);
  };
} catch {
  // Not the expected module layout: keep ONNX Runtime's default thread count.
}

const pipes = new Map<string, Promise<Pipe>>();

/** Cache key of a model in this thread; the main thread uses the same to release it. */
export function modelKey(task: ModelTask): string {
  return `${task.modelDir}\0${task.quantized ? 'quantized' : 'full'}\0${task.threads ?? 0}`;
}

function loadPipe(task: ModelTask): Promise<Pipe> {
  const key = modelKey(task);
  let pipe = pipes.get(key);
  if (!pipe) {
    // transformers.js reads `localModelPath/<model id>/<file>`: the model id is the folder's name
    // and the local path its parent. One task runs at a time in this thread (piscina's default of
    // one concurrent task per worker), so no other load changes these globals while this one runs.
    env.localModelPath = dirname(task.modelDir);
    sessionThreads = task.threads ?? 0;
    sessionFile = join(task.modelDir, 'onnx', task.quantized ? 'model_quantized.onnx' : 'model.onnx');
    pipe = pipeline('feature-extraction', basename(task.modelDir), { quantized: task.quantized, local_files_only: true }) as unknown as Promise<Pipe>;
    const loading = pipe;
    loading.catch(() => {
      if (pipes.get(key) === loading) pipes.delete(key);
    });
    pipes.set(key, loading);
  }
  return pipe.then((p) => {
    if (task.maxTokens !== undefined && task.maxTokens > 0) p.tokenizer.model_max_length = task.maxTokens;
    return p;
  });
}

/** Embeds `texts`: returns row-major texts.length × hidden, each row L2-normalised. */
export default async function embedBatch(task: EmbedTask): Promise<Float32Array> {
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
export async function release(task: ModelTask): Promise<boolean> {
  const key = modelKey(task);
  const pipe = pipes.get(key);
  if (!pipe) return false;
  pipes.delete(key);
  try {
    await (await pipe).dispose();
  } catch {
    // A model that failed to load has nothing to dispose.
  }
  return true;
}
