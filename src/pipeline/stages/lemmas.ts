/**
 * The lemma stage: fills `terms.lemma` for every term that has none. Turkish inflects a term's last
 * word, so each distinct last word is lemmatised once, in worker threads (the analyser is
 * CPU-bound), and each batch of terms is written in its own transaction, so an interrupted run
 * keeps the batches already written and resumes with the rest.
 */
import { workerPool } from '../../util/pool.js';
import { defaultThreads, KEEP_WORKERS, workerFile } from '../../util/workers.js';
import { countTermsWithoutLemma, readTermsWithoutLemma, writeLemmas } from '../../store/index.js';
import { headWord, withHeadLemma } from '../../lexicon/lemmatize.js';
import { LargeMap } from '../../util/large-map.js';
import type { StageDefinition } from '../stage.js';

export interface LemmaStageReport {
  terms: number;
  changed: number;
  seconds: number;
}

const BATCH = 2000;
/**
 * Batches read and not yet written, at most: only a bound on memory (64k terms). The workers are
 * kept busy by the count of their tasks; most later batches ask them for nothing.
 */
const UNWRITTEN = 32;

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
    // Each distinct head word goes to one worker, once: a batch asks only for the words no earlier
    // batch asked for, and is written once every earlier batch is (so its words are answered).
    // Sent whole, batches of terms put a word through every worker that met it: the 1M-line
    // bench:e2e list's 928k terms (128k distinct head words) took 25.1-26.7 s (seven runs), and
    // 21.7-25.9 s (five, median 22.8) asking once a word, the same lemmas; 4.4M terms (566k words)
    // 99.6 and 116.2 s, against 93.5 and 96.4. The analyser is most of what remains (~0.26 ms a
    // new word).
    const lemmaOf = new LargeMap<string, string | null>(); // null: asked, not answered yet
    let written: Promise<void> = Promise.resolve();
    let asking = 0; // tasks at the workers
    try {
      let after = 0;
      const inFlight: Promise<void>[] = [];
      for (;;) {
        const rows = readTermsWithoutLemma(db, after, BATCH);
        if (rows.length === 0) break;
        after = rows[rows.length - 1].id;
        const heads = rows.map(({ norm }) => headWord(norm));
        const fresh: string[] = [];
        for (const word of heads) {
          if (lemmaOf.get(word) !== undefined) continue;
          lemmaOf.set(word, null);
          fresh.push(word);
        }
        if (fresh.length > 0) asking++;
        const answered =
          fresh.length === 0
            ? undefined
            : pool.run<string[]>({ terms: fresh }).then((lemmas) => {
                fresh.forEach((w, i) => lemmaOf.set(w, lemmas[i]));
                asking--;
              });
        written = Promise.all([written, answered]).then(() => {
          const ids: number[] = [];
          const lemmas: string[] = [];
          rows.forEach(({ id, norm }, i) => {
            const lemma = withHeadLemma(norm, lemmaOf.get(heads[i])!);
            if (lemma !== norm) ids.push(id), lemmas.push(lemma);
          });
          writeLemmas(db, rows[0].id, rows[rows.length - 1].id, ids, lemmas);
          changed += ids.length;
          done += rows.length;
          bar.update(done);
        });
        // Awaited below, or abandoned when an earlier batch failed: not an unhandled rejection.
        written.catch(() => {});
        inFlight.push(written);
        // A couple of tasks per worker; batches whose words are all known wait for no worker.
        while (asking >= pool.maxThreads * 2 || inFlight.length >= UNWRITTEN) await inFlight.shift();
      }
      await written;
    } finally {
      await pool.destroy();
    }
    bar.finish(done);
    return { terms: done, changed, seconds: (performance.now() - started) / 1000 };
  },
};
