/** Helper thread of RowParallel: runs one kernel task per message on shared memory, then raises the flag. */
import { parentPort, workerData } from 'node:worker_threads';
import { runKernel, type KernelTask } from '../src/util/row-parallel.js';

const flag = (workerData as { flag: Int32Array }).flag;
parentPort?.on('message', (task: KernelTask) => {
  runKernel(task);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
