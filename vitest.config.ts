import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two files at a time, whatever the core count. Vitest's default on 2 cores is one; the slow
    // files are builds whose longest part (the builtin embedder's training) is single-threaded,
    // so two overlap well: the suite took 290 s against 393 s one file at a time, same hour.
    // More would multiply the builds' memory on larger machines for little.
    maxWorkers: 2,
    // The suite's builds share one embedder cache, outside the user's own: each training (full,
    // held out per split) runs once per change of the code (the cache keys on it), not once a
    // build. It keeps four entries of ~200 MB, like any cache directory.
    env: { SYNOGRAPH_CACHE_DIR: join(tmpdir(), 'synograph-test-embedder-cache') },
  },
});
