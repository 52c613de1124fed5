import { describe, it, expect } from 'vitest';
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { Kernel } from '../src/candidates/kernel.js';
import { packViews, unpackViews } from '../src/util/large-views.js';
import { packageRoot } from '../src/util/package.js';

// Views past 4 GiB on SharedArrayBuffers: the pages are allocated lazily, so only the few rows
// written here are resident.
const FLOATS_PAST_LIMIT = 2 ** 30 + 64; // 4 GiB + 256 bytes

/** What a worker thread sees of `data` after `unpackViews`: each view's length and last value. */
function seenInWorker(data: unknown): Promise<Record<string, [number, number]>> {
  const module = pathToFileURL(join(packageRoot(), 'dist', 'src', 'util', 'large-views.js')).href;
  const code = `
    const { workerData, parentPort } = require('node:worker_threads');
    import(${JSON.stringify(module)}).then(({ unpackViews }) => {
      const got = unpackViews(workerData);
      const out = {};
      for (const [k, v] of Object.entries(got.views)) out[k] = [v.length, v[v.length - 1]];
      parentPort.postMessage(out);
    });`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: data });
    worker.once('message', (m) => {
      resolve(m as Record<string, [number, number]>);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

describe('views of 4 GiB or more across threads', () => {
  it('reach a worker whole when packed; smaller views and other values pass unchanged', async () => {
    const big = new Float32Array(new SharedArrayBuffer(FLOATS_PAST_LIMIT * 4));
    big[FLOATS_PAST_LIMIT - 1] = 7.5;
    // A view that starts past 4 GiB into its buffer.
    const tail = new Float32Array(big.buffer, (FLOATS_PAST_LIMIT - 16) * 4, 16);
    const small = Int32Array.from([1, 2, 3]);
    const packed = packViews({ views: { big, tail, small }, n: 3, names: ['a'] }) as { views: Record<string, unknown>; n: number; names: string[] };
    expect(packed.views.small).toBe(small);
    expect(packed.n).toBe(3);
    expect(packed.names).toEqual(['a']);
    expect(await seenInWorker(packed)).toEqual({ big: [FLOATS_PAST_LIMIT, 7.5], tail: [16, 7.5], small: [3, 3] });
    // Unpacking in this thread gives views of the same memory.
    const again = unpackViews(packViews({ big }) as { big: Float32Array });
    // (Booleans: a failed match would print a billion floats.)
    expect(again.big === big).toBe(false);
    expect(again.big.buffer === big.buffer).toBe(true);
    expect(again.big.length).toBe(FLOATS_PAST_LIMIT);
  });

  it("the ONNX kernel thread's `among` reads a row past 4 GiB of the vectors", async () => {
    const d = 4;
    const rows = FLOATS_PAST_LIMIT / d;
    const vectors = new Float32Array(new SharedArrayBuffer(rows * d * 4));
    // The last row points along the second axis; the first row along the first.
    vectors[(rows - 1) * d + 1] = 1;
    vectors[0] = 1;
    const centroids = Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0]);
    const kernel = new Kernel(vectors, d, 1, 'onnx');
    // One group of two queries (the first row and the last), its candidates both centroids.
    const nearest = await kernel.among(Int32Array.from([0, rows - 1]), Int32Array.from([0, 2]), centroids, Int32Array.from([0, 1]), 2, 1);
    expect(Array.from(nearest)).toEqual([0, 1]);
  });
});
