import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { workerPool } from '../src/util/pool.js';

// Worker modules written for these tests: one that works, one that throws while it loads (as a
// relations worker refusing its shared table did), and one whose task throws.
const dir = mkdtempSync(join(tmpdir(), 'synograph-pool-'));
const worker = (name: string, code: string): string => {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, code);
  return file;
};
const good = worker('good', 'export function double(x) { return 2 * x; }\n');
const broken = worker('broken', "throw new Error('table.vectors: shorter than its rows');\nexport function double(x) { return 2 * x; }\n");
const throwing = worker('throwing', "export function double(x) { if (x < 0) throw new Error(`negative: ${x}`); return 2 * x; }\n");
const making = worker('making', 'export function make(n) { return new Float64Array(n); }\n');
const probing = worker('probing', 'export function probe() { return { requireModule: Boolean(process.features.require_module), sourceMaps: process.sourceMapsEnabled }; }\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('workerPool', () => {
  it('runs tasks across its threads', async () => {
    const pool = workerPool(good, { name: 'double', minThreads: 2, maxThreads: 2 });
    try {
      expect(pool.maxThreads).toBe(2);
      expect(await Promise.all([1, 2, 3, 4].map((x) => pool.run<number>(x)))).toEqual([2, 4, 6, 8]);
    } finally {
      await pool.destroy();
    }
  });

  it('loads its task files with import(), not require(esm), which a thread terminated while loading turns into an abort', async () => {
    const pool = workerPool(probing, { name: 'probe', minThreads: 1, maxThreads: 1 });
    try {
      expect(await pool.run(null)).toEqual({ requireModule: false, sourceMaps: process.sourceMapsEnabled });
    } finally {
      await pool.destroy();
    }
  });

  it('rejects a task when its workers failed to load before any task was posted', async () => {
    // Piscina alone: an 'error' event with no listener (an uncaught exception), or with one, a
    // task that waits forever while failing workers are started again.
    const pool = workerPool(broken, { name: 'double', minThreads: 2, maxThreads: 2 });
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await expect(pool.run(1)).rejects.toThrow('table.vectors: shorter than its rows');
      await expect(pool.run(2)).rejects.toThrow('table.vectors: shorter than its rows');
    } finally {
      await pool.destroy();
    }
  }, 10_000);

  it('rejects every task posted at once to workers that fail to load', async () => {
    const pool = workerPool(broken, { name: 'double', minThreads: 1, maxThreads: 2 });
    try {
      const runs = [1, 2, 3].map((x) => pool.run(x));
      for (const run of runs) await expect(run).rejects.toThrow('table.vectors: shorter than its rows');
    } finally {
      await pool.destroy();
    }
  }, 10_000);

  it('keeps working after a task of its own throws', async () => {
    const pool = workerPool(throwing, { name: 'double', minThreads: 1, maxThreads: 1 });
    try {
      await expect(pool.run(-1)).rejects.toThrow('negative: -1');
      expect(await pool.run<number>(3)).toBe(6);
    } finally {
      await pool.destroy();
    }
  });

  it('keeps no result once its caller lets go of it', async () => {
    // The first version raced every task against one promise that never settles: each race hung
    // a reaction on it that held the task's result, and a 15M build's relations stage grew by
    // ~20 bytes a scored pair.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const pool = workerPool(making, { name: 'make', minThreads: 1, maxThreads: 1 });
    try {
      let result: Float64Array | null = await pool.run<Float64Array>(1 << 16);
      expect(result.length).toBe(1 << 16);
      const ref = new WeakRef(result);
      result = null;
      await new Promise((resolve) => setTimeout(resolve, 0));
      gc();
      expect(ref.deref()).toBeUndefined();
    } finally {
      await pool.destroy();
    }
  });
});
