/** The process's single transformers.js inference thread, shared by every ONNX model backend. */
import { collectGarbage } from './gc.js';
import { workerPool, type WorkerPool } from './pool.js';
import { KEEP_WORKERS, workerFile } from './workers.js';

let sharedPool: WorkerPool | null = null;

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
export function inferencePool(): WorkerPool {
  sharedPool ??= workerPool(workerFile('embed-transformers'), { name: 'embedBatch', minThreads: 1, maxThreads: 1, idleTimeout: KEEP_WORKERS });
  return sharedPool;
}

/** Array-buffer bytes below which `releaseBuffers` does nothing (see there). */
const RELEASE_FLOOR = 64 * 2 ** 20;

/**
 * Full collections in the inference thread (if the process has one) and in this thread, when this
 * thread counts at least 64 MiB of array buffers. That thread lives for the process and its own
 * heap stays small, so V8 seldom collects there; yet every task it ran left garbage wrappers of the
 * SharedArrayBuffers posted to it (vectors, centroids), and a buffer's memory is kept until its
 * wrappers in every thread are collected (it stays counted here, by the thread that made it).
 * After a 200k-row candidates stage 0.58 GiB of array buffers was held this way (1.70 GiB
 * resident); the collections freed all of it (1.10 GiB resident) in 0.18 s; at 1M rows, 0.84 GiB
 * (2.85 -> 1.98 GiB resident). Below the floor (small builds, the tests) there is little to give
 * back, and a tenth of a second or more of collections after every stage would add up over the
 * suite's many small builds.
 * The build runs this after every stage, so that a stage does not start on top of the last one's buffers.
 */
export async function releaseBuffers(): Promise<void> {
  if (process.memoryUsage().arrayBuffers < RELEASE_FLOOR) return;
  if (sharedPool) await sharedPool.run(null, { filename: workerFile('collect-garbage'), name: 'collect' });
  collectGarbage();
}
