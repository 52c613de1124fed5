/** Assertions shared by the tests of the ONNX model backends (embedder, relation cross-encoder). */
import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { ModelError } from '../src/embed/types.js';
import { packageRoot } from '../src/util/package.js';

const run = promisify(execFile);

/** Largest element-wise difference of two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** The ModelError `promise` rejects with (fails the test if it resolves or rejects otherwise). */
export async function modelError(promise: Promise<unknown>): Promise<ModelError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelError);
  return err as ModelError;
}

/** What `offline` reports: the body's own `result` fields, plus the network checks. */
export type OfflineReport<T> = T & { allowRemoteModels: boolean; fetched: number };

/**
 * Runs `body` in a separate Node process with `worker` (a compiled worker file, as `worker`) and
 * transformers.js's `env` imported, and `fetch` replaced by a counter that fails; `body` assigns
 * what it wants reported to `result`. A separate process, because importing transformers.js in
 * the test process would load onnxruntime-node in a second thread of it, which onnxruntime-node
 * 1.14 does not survive.
 */
export async function offline<T extends object>(workerPath: string, body: string): Promise<OfflineReport<T>> {
  const script = `
    let fetched = 0;
    globalThis.fetch = async () => { fetched++; throw new Error('network access attempted'); };
    const worker = await import(${JSON.stringify(pathToFileURL(workerPath).href)});
    const { env } = await import('@xenova/transformers');
    let result = {};
    ${body}
    console.log(JSON.stringify({ ...result, allowRemoteModels: env.allowRemoteModels, fetched }));
  `;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: packageRoot() });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as OfflineReport<T>;
}
