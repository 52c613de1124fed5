/**
 * A Piscina pool whose workers' failures reach the caller. Piscina alone, with a worker that
 * throws while it loads (a refused shared table, a missing model file):
 * - a worker with no task of its own makes the pool emit 'error': with no listener, an uncaught
 *   exception (tfjs-backend-wasm's handler rethrows it; the build exited with code 7 and left its
 *   stage's record `running`); with a listener alone, the tasks wait forever while failing workers
 *   are started again (five in 3 s, measured);
 * - a worker that had taken a task rejects that task, and the tasks queued behind it wait forever:
 *   Piscina starts no other worker after a failure while loading.
 * Here the first such failure rejects every task in flight and every later one, and the pool is
 * destroyed, so the stage fails with the worker's own error (test/pool.test.ts).
 */
import { Piscina } from 'piscina';

export type PoolOptions = NonNullable<ConstructorParameters<typeof Piscina>[0]>;
export type RunOptions = NonNullable<Parameters<Piscina['run']>[1]>;

export interface WorkerPool {
  /** Runs a task; rejects with the pool's failure once one of its workers failed outside a task. */
  run<T>(task: unknown, options?: RunOptions): Promise<T>;
  readonly maxThreads: number;
  /** Ends the workers (again after a failure: harmless). */
  destroy(): Promise<void>;
}

const NO_REQUIRE_ESM = '--no-experimental-require-module';

/**
 * The Node options of a pool's threads. Piscina loads a task file with `require()` first and
 * `import()` only if that throws. On a Node with require(esm) (20.19 and later) the require loads
 * our ES modules synchronously, and a thread terminated while V8 links that graph (a pool
 * destroyed, or the process exiting, while a thread still loads) aborts the whole process: Node
 * 20.20's `ModuleWrap::InstantiateSync` asks an unlinked module `IsGraphAsync()` after a
 * termination (`FATAL ERROR: v8::Module::IsGraphAsync must be used on an instantiated module`).
 * `.ci/run` failed twice that way in trust.test, a child build dying with no exit code. Threads
 * terminated at random points while loading workers/relations.js as piscina does (require, else
 * import), 1,500 a run: 3 runs of 5 aborted, after 200 to 1,400; with require(esm) off, none of 5.
 * Off, the require throws before it loads anything, and piscina imports the file.
 * Explicit options replace the inherited ones (V8 flags such as --max-old-space-size are refused
 * in a thread's execArgv, and apply to the whole process anyway); source maps are kept.
 */
function threadExecArgv(): string[] | undefined {
  // Nothing to turn off without require(esm); and a Node that no longer knows the flag refuses it.
  if (!process.features.require_module || !process.allowedNodeEnvironmentFlags.has(NO_REQUIRE_ESM)) return undefined;
  return [...(process.sourceMapsEnabled ? ['--enable-source-maps'] : []), NO_REQUIRE_ESM];
}

/** A pool of the worker module `filename` (an absolute path; src/util/workers.ts `workerFile`). */
export function workerPool(filename: string, options: Omit<PoolOptions, 'filename'>): WorkerPool {
  const pool = new Piscina({ execArgv: threadExecArgv(), ...options, filename });
  let failure: Error | null = null;
  // The rejecters of the tasks in flight, told of a failure. Not a race against one shared
  // promise that never settles: every task's race would hang a reaction on it holding the task's
  // result, and the 15M build's relations stage grew by ~20 bytes a scored pair that way (from
  // 10.5 to 21 GiB in 4 min, killed before it ran out of memory).
  const pending = new Set<(error: Error) => void>();
  let destroyed: Promise<void> | null = null;
  const destroy = (): Promise<void> => (destroyed ??= pool.destroy());
  const fail = (error: unknown): void => {
    if (failure) return;
    failure = error instanceof Error ? error : new Error(String(error));
    for (const reject of pending) reject(failure);
    pending.clear();
    // Tasks still queued are rejected by the destroy; their callers have had the failure already.
    void destroy().catch(() => undefined);
  };
  pool.on('error', fail);
  const run = <T>(task: unknown, runOptions?: RunOptions): Promise<T> => {
    if (failure) return Promise.reject(failure);
    return new Promise<T>((resolve, reject) => {
      pending.add(reject);
      (pool.run(task, runOptions) as Promise<T>).then(
        (value) => {
          pending.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          pending.delete(reject);
          reject(error);
          // A pool left with no thread after a failed task has failed (the second case above); a
          // worker that dies after loading is replaced before its task is rejected, and a task
          // that throws leaves its worker alive.
          if (!destroyed && pool.threads.length === 0) fail(error);
        },
      );
    });
  };
  return {
    run: <T>(task: unknown, runOptions?: RunOptions): Promise<T> => {
      const result = run<T>(task, runOptions);
      // A failure rejects every task in flight at once, while a stage awaits them one at a time
      // (two per thread in flight): the later ones must not count as unhandled rejections, which
      // end the process. The caller still meets the rejection on the task it awaits.
      result.catch(() => undefined);
      return result;
    },
    get maxThreads() {
      return pool.options.maxThreads;
    },
    destroy,
  };
}
