/**
 * The lemma stage: fills `terms.lemma` for every term that has none, lemmatising in worker threads
 * (the analyser is CPU-bound) and writing each batch in its own transaction, so an interrupted run
 * keeps the batches already written and resumes with the rest.
 */
import { Piscina } from 'piscina';
import { defaultThreads, workerFile } from '../util/workers.js';
import type { Db } from './db.js';

export interface LemmaStageReport {
  terms: number;
  changed: number;
  seconds: number;
}

export async function fillLemmas(db: Db, options: { threads?: number; batchSize?: number; onProgress?: (done: number, total: number) => void } = {}): Promise<LemmaStageReport> {
  const started = performance.now();
  const total = db.prepare('SELECT count(*) FROM terms WHERE lemma IS NULL').pluck().get() as number;
  if (total === 0) return { terms: 0, changed: 0, seconds: 0 };
  const batchSize = options.batchSize ?? 2000;
  const pool = new Piscina({ filename: workerFile('lemmatize'), maxThreads: defaultThreads(options.threads), minThreads: 1 });
  const page = db.prepare('SELECT id, norm FROM terms WHERE lemma IS NULL AND id > ? ORDER BY id LIMIT ?');
  const update = db.prepare('UPDATE terms SET lemma = ? WHERE id = ?');
  const write = db.transaction((ids: number[], lemmas: string[]) => {
    for (let i = 0; i < ids.length; i++) update.run(lemmas[i], ids[i]);
  });
  let done = 0;
  let changed = 0;
  try {
    let after = 0;
    // Keep a couple of batches per thread in flight; write results in id order as they arrive.
    const inFlight: Promise<void>[] = [];
    for (;;) {
      const rows = page.all(after, batchSize) as { id: number; norm: string }[];
      if (rows.length === 0) break;
      after = rows[rows.length - 1].id;
      const task = (pool.run({ terms: rows.map((r) => r.norm) }) as Promise<string[]>).then((lemmas) => {
        write(rows.map((r) => r.id), lemmas);
        for (let i = 0; i < rows.length; i++) if (lemmas[i] !== rows[i].norm) changed++;
        done += rows.length;
        options.onProgress?.(done, total);
      });
      inFlight.push(task);
      if (inFlight.length >= pool.options.maxThreads * 2) await inFlight.shift();
    }
    await Promise.all(inFlight);
  } finally {
    await pool.destroy();
  }
  return { terms: done, changed, seconds: (performance.now() - started) / 1000 };
}
