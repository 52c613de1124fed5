/** The process's single transformers.js inference thread, shared by every ONNX model backend. */
import { Piscina } from 'piscina';
import { KEEP_WORKERS, workerFile } from './workers.js';

let sharedPool: Piscina | null = null;

/**
 * The one inference thread of this process. onnxruntime-node 1.14 (pinned by transformers.js 2.17)
 * must be loaded by exactly one thread per process and that thread must live until the process
 * exits: its binding keeps per-thread N-API state in C++ statics, so a second thread loading it,
 * or a new thread after the first exited, corrupts memory (`free(): invalid pointer`, segfaults)
 * or fails with "Module did not self-register". So the pool has one thread, never idles out and is
 * never destroyed; idle, it is unref'd and does not keep the process alive. Nothing else in the
 * process may load onnxruntime-node (for instance by importing @xenova/transformers).
 *
 * Its default task file is the embedder's worker (workers/embed-transformers.ts); other backends
 * run their own worker file in the same thread with piscina's per-task `filename`, and all of
 * them share workers/onnx-thread.ts for the thread's transformers.js set-up.
 */
export function inferencePool(): Piscina {
  sharedPool ??= new Piscina({ filename: workerFile('embed-transformers'), minThreads: 1, maxThreads: 1, idleTimeout: KEEP_WORKERS });
  return sharedPool;
}
