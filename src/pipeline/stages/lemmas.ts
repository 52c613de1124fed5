/**
 * The lemma stage: fills `terms.lemma` for every term that has none, lemmatising in worker threads
 * (the analyser is CPU-bound) and writing each batch in its own transaction, so an interrupted run
 * keeps the batches already written and resumes with the rest.
 */
import { workerPool } from '../../util/pool.js';
import { defaultThreads, KEEP_WORKERS, workerFile } from '../../util/workers.js';
import { countTermsWithoutLemma, readTermsWithoutLemma, writeLemmas } from '../../store/index.js';
import type { StageDefinition } from '../stage.js';

export interface LemmaStageReport {
  terms: number;
  changed: number;
  seconds: number;
}

const BATCH = 2000;

export const lemmasStage: StageDefinition<LemmaStageReport> = {
  name: 'lemmas',
  reads: ['terms'],
  fingerprint: ({ upstream, termsGeneration }) => ['nlptoolkit-morphologicalanalysis', upstream('terms'), termsGeneration()],
  run: async ({ db, options, progress }) => {
    const started = performance.now();
    const total = countTermsWithoutLemma(db);
    const bar = progress('lemmas', total);
    if (total === 0) {
      bar.finish(0);
      return { terms: 0, changed: 0, seconds: 0 };
    }
    const pool = workerPool(workerFile('lemmatize'), { name: 'lemmatizeBatch', maxThreads: defaultThreads(options.threads), minThreads: 1, idleTimeout: KEEP_WORKERS });
    let done = 0;
    let changed = 0;
    try {
      let after = 0;
      // Keep a couple of batches per thread in flight; write results in id order as they arrive.
      const inFlight: Promise<void>[] = [];
      for (;;) {
        const rows = readTermsWithoutLemma(db, after, BATCH);
        if (rows.length === 0) break;
        after = rows[rows.length - 1].id;
        const task = pool.run<string[]>({ terms: rows.map((r) => r.norm) }).then((lemmas) => {
          writeLemmas(db, rows.map((r) => r.id), lemmas);
          for (let i = 0; i < rows.length; i++) if (lemmas[i] !== rows[i].norm) changed++;
          done += rows.length;
          bar.update(done);
        });
        inFlight.push(task);
        if (inFlight.length >= pool.maxThreads * 2) await inFlight.shift();
      }
      await Promise.all(inFlight);
    } finally {
      await pool.destroy();
    }
    bar.finish(done);
    return { terms: done, changed, seconds: (performance.now() - started) / 1000 };
  },
};
