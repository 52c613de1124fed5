/** Lemmatises many strings across worker threads (the analyser is CPU-bound and slow to start). */
import { workerPool } from '../util/pool.js';
import { defaultThreads, KEEP_WORKERS, workerFile } from '../util/workers.js';

export async function lemmatizeMany(terms: readonly string[], options: { threads?: number; batchSize?: number; useTable?: boolean } = {}): Promise<string[]> {
  const batchSize = options.batchSize ?? 4000;
  const pool = workerPool(workerFile('lemmatize'), { name: 'lemmatizeBatch', maxThreads: defaultThreads(options.threads), minThreads: 1, idleTimeout: KEEP_WORKERS });
  try {
    const tasks: Promise<string[]>[] = [];
    for (let i = 0; i < terms.length; i += batchSize) tasks.push(pool.run<string[]>({ terms: terms.slice(i, i + batchSize), useTable: options.useTable }));
    return (await Promise.all(tasks)).flat();
  } finally {
    await pool.destroy();
  }
}
