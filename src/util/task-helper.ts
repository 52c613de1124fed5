/**
 * A second thread for a synchronous loop. The loop posts tasks in order, each with shared memory
 * the worker writes its results into, and goes on with its own work; it takes the tasks the worker
 * has finished (in order) when it likes, and at the end waits on an Atomics counter once. Whatever
 * the worker did not finish (it failed, or stopped answering) comes back to the loop to do itself,
 * so the results are the same whichever thread did a task. The loop stays synchronous: it never
 * waits on a message, which it could not receive before it returns.
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { workerFile } from './workers.js';

/** How long `finish` waits for a worker that finishes nothing before it hands the rest back. */
const STALL_MS = 30_000;

/** What a helper's worker is started with: its own data and the counter ([units done, 1 once it failed]). */
export type HelperWorkerData<Data> = Data & { progress: Int32Array };

export class TaskHelper<Task, Pending> {
  private readonly progress = new Int32Array(new SharedArrayBuffer(8));
  private readonly worker: Worker;
  /** Tasks posted and not yet taken, oldest first, with the units posted up to each. */
  private readonly queue: { pending: Pending; upTo: number }[] = [];
  private posted = 0;

  /** Starts `workers/NAME.ts`, which serves its tasks with serveTasks. */
  constructor(name: string, data: object = {}) {
    this.worker = new Worker(workerFile(name), { workerData: { ...data, progress: this.progress } });
    this.worker.unref();
  }

  /** Units posted and not yet done. */
  backlog(): number {
    return this.posted - Atomics.load(this.progress, 0);
  }

  /** Posts a task of `units` units; `pending` (what the loop needs to use or redo it) comes back from take or finish. */
  post(task: Task, units: number, pending: Pending): void {
    this.posted += units;
    this.queue.push({ pending, upTo: this.posted });
    this.worker.postMessage(task);
  }

  /** The tasks the worker has finished, in the order they were posted. */
  take(): Pending[] {
    const done = Atomics.load(this.progress, 0);
    let k = 0;
    while (k < this.queue.length && this.queue[k].upTo <= done) k++;
    return this.queue.splice(0, k).map((q) => q.pending);
  }

  /**
   * Waits until every posted task is done, or the worker failed or stalled, and stops the worker:
   * the tasks it finished (to take) and those it did not (to do here), each in posting order.
   */
  finish(): { done: Pending[]; left: Pending[] } {
    let seen = Atomics.load(this.progress, 0);
    let since = performance.now();
    while (seen < this.posted && Atomics.load(this.progress, 1) === 0 && performance.now() - since < STALL_MS) {
      Atomics.wait(this.progress, 0, seen, 1000);
      const now = Atomics.load(this.progress, 0);
      if (now !== seen) since = performance.now();
      seen = now;
    }
    void this.worker.terminate();
    const done = this.take();
    return { done, left: this.queue.splice(0).map((q) => q.pending) };
  }

  /** Stops the worker without waiting, for work that will not be finished. */
  close(): void {
    void this.worker.terminate();
    this.queue.length = 0;
  }
}

/**
 * The worker's side: `load` (given the worker's data) makes the handler, which does a task and
 * returns its units. After a failure the worker says so and does no more tasks: a later task
 * counted done would make the loop take the failed one as done.
 */
export function serveTasks<Data, Task>(load: (data: HelperWorkerData<Data>) => Promise<(task: Task) => number>): void {
  const data = workerData as HelperWorkerData<Data>;
  const progress = data.progress;
  let failed = false;
  const fail = (): void => {
    failed = true;
    Atomics.store(progress, 1, 1);
    Atomics.notify(progress, 0);
  };
  // Messages wait in the port until the listener is attached, after the handler is loaded.
  load(data).then((handle) => {
    parentPort?.on('message', (task: Task) => {
      if (failed) return;
      try {
        Atomics.add(progress, 0, handle(task));
        Atomics.notify(progress, 0);
      } catch {
        fail();
      }
    });
  }, fail);
}
