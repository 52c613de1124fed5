import { describe, it, expect } from 'vitest';
import { Kernel } from '../src/candidates/kernel.js';
import { releaseBuffers } from '../src/util/inference.js';

const D = 128;
const MiB = 2 ** 20;

/** Scores a few rows of a 96 MiB matrix in the inference thread and lets go of every reference to it. */
async function scoreOnce(rows: number): Promise<number> {
  const vectors = new Float32Array(new SharedArrayBuffer(rows * D * 4));
  for (let i = 0; i < vectors.length; i += 97) vectors[i] = (i % 13) / 13;
  const kernel = new Kernel(vectors, D, 1);
  const { indices } = await kernel.top(Int32Array.of(0, 1, 2), vectors.slice(0, 8 * D), 2);
  return indices.length;
}

describe('releaseBuffers', () => {
  it("frees the array buffers that the inference thread's tasks still held, once nothing uses them", async () => {
    const base = process.memoryUsage().arrayBuffers;
    expect(await scoreOnce(196_608)).toBe(6);
    // Held now: by this thread's garbage and by the wrappers the inference thread was posted.
    expect(process.memoryUsage().arrayBuffers).toBeGreaterThan(base + 90 * MiB);
    await releaseBuffers();
    expect(process.memoryUsage().arrayBuffers).toBeLessThan(base + 8 * MiB);
  });
});
