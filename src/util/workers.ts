/** Locating compiled worker entry points and sizing pools, from source (tests) or from dist alike. */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from './package.js';

/** Absolute path of a compiled worker (`workers/NAME.ts` -> `dist/workers/NAME.js`). */
export function workerFile(name: string): string {
  const file = join(packageRoot(), 'dist', 'workers', `${name}.js`);
  if (!existsSync(file)) throw new Error(`worker ${name} not built: run \`npm run build\` (missing ${file})`);
  return file;
}

/** Worker threads to use: the `--threads` option if given, else one per core. */
export function defaultThreads(requested?: number): number {
  return Math.max(1, requested ?? availableParallelism());
}

/**
 * Piscina's idleTimeout for pools whose workers carry costly state (the analyser's dictionaries,
 * the lemma table, an embedder model): piscina's default of 0 ends every worker above minThreads
 * the moment it idles, and a new one loads it all again. On a 1M-term list the lemma stage started
 * 46 workers, each living ~1.4 s, a quarter of its CPU spent loading. Whoever creates such a pool
 * destroys it when its work ends (a stage's pool with the stage).
 */
export const KEEP_WORKERS = Infinity;
