/**
 * Piscina task file: a full garbage collection in the thread that runs it (the process's inference
 * thread; src/util/inference.ts has why and the measurement).
 */
import { collectGarbage } from '../src/util/gc.js';

export function collect(): void {
  collectGarbage();
}
