/**
 * Set-up shared by every transformers.js task of the process's single inference thread
 * (workers/embed-transformers.ts, workers/cross-encoder.ts; see src/util/inference.ts for why
 * there is one thread): local files only, and ONNX Runtime's intra-op thread count.
 *
 * One module, evaluated once per thread (ESM cache), so the environment flags are set before any
 * load and `InferenceSession.create` is wrapped exactly once, whichever task runs first.
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { env } from '@xenova/transformers';

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

/** Cache key of a model in this thread; the main thread uses the same to release it. */
export function modelKey(task: ModelTask): string {
  return `${task.modelDir}\0${task.quantized ? 'quantized' : 'full'}\0${task.threads ?? 0}`;
}

/**
 * Points transformers.js at `task`'s folder and sets the session thread count, then returns the
 * model id to load it by (with `local_files_only: true`). Call right before starting the load.
 *
 * transformers.js reads `localModelPath/<model id>/<file>`: the model id is the folder's name and
 * the local path its parent. One task runs at a time in this thread (piscina's default of one
 * concurrent task per worker), so no other load changes these globals while this one runs.
 */
export function prepareLoad(task: ModelTask): string {
  env.localModelPath = dirname(task.modelDir);
  sessionThreads = task.threads ?? 0;
  sessionFile = join(task.modelDir, 'onnx', task.quantized ? 'model_quantized.onnx' : 'model.onnx');
  return basename(task.modelDir);
}

/**
 * Caches one loaded model per `modelKey` in this thread: a failed load is forgotten (so a fixed
 * folder can be retried), and `release` disposes of a model so its memory can be reclaimed.
 */
export class ModelCache<M extends { dispose(): Promise<unknown> }> {
  private readonly loaded = new Map<string, Promise<M>>();

  constructor(private readonly load: (task: ModelTask) => Promise<M>) {}

  get(task: ModelTask): Promise<M> {
    const key = modelKey(task);
    let model = this.loaded.get(key);
    if (!model) {
      const loading = this.load(task);
      loading.catch(() => {
        if (this.loaded.get(key) === loading) this.loaded.delete(key);
      });
      this.loaded.set(key, (model = loading));
    }
    return model;
  }

  async release(task: ModelTask): Promise<boolean> {
    const key = modelKey(task);
    const model = this.loaded.get(key);
    if (!model) return false;
    this.loaded.delete(key);
    try {
      await (await model).dispose();
    } catch {
      // A model that failed to load has nothing to dispose.
    }
    return true;
  }
}
